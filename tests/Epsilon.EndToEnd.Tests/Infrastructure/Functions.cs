namespace Epsilon.EndToEnd.Tests.Infrastructure;

/// <summary>Function sources the tests deploy: each a small Node file in the Epsilon spec.</summary>
internal static class Functions
{
    public const string Echo = """
        let calls = 0;
        module.exports.echo = {
          definition: async (req, res) => {
            calls += 1;
            if (req.path === '/exit') { process.exit(3); }
            if (req.path === '/throw') { throw new Error('boom from the function'); }
            if (req.path === '/sleep') { await new Promise(r => setTimeout(r, Number(req.query.ms || 0))); }
            if (req.path === '/silent') { return; }
            console.log('echo called', req.path);
            res.status(Number(req.query.status || 200)).set('x-echo', 'yes').json({
              method: req.method,
              path: req.path,
              query: req.query,
              header: req.get('x-test') || null,
              body: req.body,
              requestId: req.get('x-epsilon-request-id') || null,
              calls,
              secret: process.env.SECRET || null,
            });
          },
        };
        """;

    /// <summary>Answers its whole environment as JSON (export <c>env</c>); the comment is a marker its image holds.</summary>
    public const string Env = """
        // image-search-control
        module.exports.env = {
          definition: async (req, res) => { res.json(process.env); },
        };
        """;

    public static string Text(string export, string text) => $$"""
        module.exports.{{export}} = {
          definition: async (req, res) => { res.type('text/plain').send('{{text}}'); },
        };
        """;

    /// <summary>Answers <paramref name="text"/>, a space and the path it was called with: which version, and what it saw.</summary>
    public static string TextAndPath(string export, string text) => $$"""
        module.exports.{{export}} = {
          definition: async (req, res) => { res.type('text/plain').send('{{text}} ' + req.path); },
        };
        """;

    public static string Slow(string export) => $$"""
        module.exports.{{export}} = {
          definition: async (req, res) => {
            await new Promise(r => setTimeout(r, Number(req.query.ms || 1500)));
            res.send('done');
          },
        };
        """;
}
