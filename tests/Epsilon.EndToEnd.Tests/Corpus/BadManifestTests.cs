using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Epsilon.EndToEnd.Tests.Infrastructure;

namespace Epsilon.EndToEnd.Tests.Corpus;

/// <summary>
/// The bad-input corpus of <c>epsilon.yaml</c>: each manifest is deployed from a real repository and must be refused with
/// 422 ManifestInvalid naming the key (and its message), reserving none of its names and leaving nothing behind.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class BadManifestTests(PlatformFixture platform)
{
    /// <summary>A manifest, the key its error names and a fragment of that error; the repository also holds <c>index.js</c> and <see cref="Files"/>.</summary>
    private sealed record ManifestCase(string Manifest, string Key, string Message)
    {
        public IReadOnlyDictionary<string, string> Files { get; init; } = new Dictionary<string, string>();
    }

    private static string One(string settings) => "runtime: node\nfunctions:\n  corpus-m:\n    handler: index.js:corpus\n" + settings;

    private static readonly Dictionary<string, ManifestCase> s_cases = new()
    {
        ["unknown root key"] = new("runtime: node\ncolour: blue\nfunctions:\n  corpus-m:\n    handler: index.js:corpus\n", "colour", "unknown key"),
        ["unknown function key"] = new(One("    colour: blue\n"), "functions.corpus-m.colour", "unknown key; known keys are handler"),
        ["memory as a list"] = new(One("    memory: [1, 2]\n"), "functions.corpus-m.memory", "must be a single value"),
        ["env as a list"] = new(One("    env: [A, B]\n"), "functions.corpus-m.env", "must be a mapping of variable name to value"),
        ["functions as a list"] = new("runtime: node\nfunctions: [corpus-m]\n", "functions", "must be a mapping of function name to its settings"),
        ["function settings as a string"] = new("runtime: node\nfunctions:\n  corpus-m: index.js:corpus\n", "functions.corpus-m", "must be a mapping"),
        ["negative memory"] = new(One("    memory: -128Mi\n"), "functions.corpus-m.memory", "'-128Mi' is not a memory size"),
        ["memory below 16Mi"] = new(One("    memory: 1Ki\n"), "functions.corpus-m.memory", "at least 16Mi"),
        ["a huge concurrency"] = new(One("    concurrency: 99999999999999999999\n"), "functions.corpus-m.concurrency", "not a whole number between 1 and 1000"),
        ["a huge timeout"] = new(One("    timeout: 99999999999999999999h\n"), "functions.corpus-m.timeout", "is not a duration"),
        ["a huge cpu"] = new(One("    cpu: 1e308\n"), "functions.corpus-m.cpu", "not a number of cores between 0.01 and 64"),
        ["cpu NaN"] = new(One("    cpu: NaN\n"), "functions.corpus-m.cpu", "not a number of cores"),
        ["public: yes"] = new(One("    public: yes\n"), "functions.corpus-m.public", "'yes' is not true or false"),
        ["minWarm over maxContainers"] = new(One("    minWarm: 3\n    maxContainers: 2\n"), "functions.corpus-m.minWarm", "more than maxContainers"),
        ["a reserved env prefix"] = new(One("    env:\n      EPSILON_X: y\n"), "functions.corpus-m.env.EPSILON_X", "reserved for the platform"),
        ["a name with a trailing newline"] = new("runtime: node\nfunctions:\n  \"corpus-m\\n\":\n    handler: index.js:corpus\n", "functions.corpus-m\n",
            "is not a valid function name"),
        ["an upper-case name"] = new("runtime: node\nfunctions:\n  Corpus-M:\n    handler: index.js:corpus\n", "functions.Corpus-M", "lower-case"),
        ["a 64-character name"] = new($"runtime: node\nfunctions:\n  c{new string('m', 63)}:\n    handler: index.js:corpus\n", $"functions.c{new string('m', 63)}",
            "1 to 63"),
        ["the reserved name invoke"] = new("runtime: node\nfunctions:\n  invoke:\n    handler: index.js:corpus\n", "functions.invoke", "reserved"),
        ["a duplicate function name"] = new("runtime: node\nfunctions:\n  corpus-m:\n    handler: index.js:corpus\n  corpus-m:\n    handler: index.js:corpus\n",
            "(syntax)", "corpus-m"),
        ["a handler with .."] = new(One("").Replace("index.js:corpus", "../index.js:corpus", StringComparison.Ordinal), "functions.corpus-m.handler",
            "with a relative path inside the repository"),
        ["an absolute handler path"] = new(One("").Replace("index.js:corpus", "/etc/passwd.js:corpus", StringComparison.Ordinal), "functions.corpus-m.handler",
            "with a relative path inside the repository"),
        ["a handler naming a folder"] = new(One("").Replace("index.js:corpus", "lib.js:corpus", StringComparison.Ordinal), "functions.corpus-m.handler",
            "file 'lib.js' does not exist")
        {
            Files = new Dictionary<string, string> { ["lib.js/index.js"] = "module.exports = {};\n" },
        },
        ["a handler file that does not exist"] = new(One("").Replace("index.js:corpus", "missing.js:corpus", StringComparison.Ordinal), "functions.corpus-m.handler",
            "file 'missing.js' does not exist"),
        ["no handler"] = new("runtime: node\nfunctions:\n  corpus-m:\n    memory: 128Mi\n", "functions.corpus-m.handler", "is missing"),
        ["an unknown runtime"] = new("runtime: cobol\nfunctions:\n  corpus-m:\n    handler: index.js:corpus\n", "runtime", "unknown runtime 'cobol'"),
        ["an unknown style"] = new(One("    style: cgi\n"), "functions.corpus-m.style", "unknown style 'cgi'"),
        ["empty functions"] = new("runtime: node\nfunctions: {}\n", "functions", "declares no function"),
        ["no functions"] = new("runtime: node\n", "functions", "is missing"),
        ["an empty file"] = new("", "(root)", "must be a mapping"),
        ["a YAML syntax error"] = new("runtime: node\nfunctions:\n  corpus-m: [\n", "(syntax)", ""),
        ["a !!python/object tag"] = new("runtime: node\nfunctions:\n  corpus-m: !!python/object/apply:os.system [\"touch /tmp/corpus-pwned\"]\n",
            "functions.corpus-m", "must be a mapping"),
        ["an alias bomb"] = new("a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\n"
            + "d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]\ne: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]\nf: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e]\n"
            + "g: [*f, *f, *f, *f, *f, *f, *f, *f, *f]\n", "(aliases)", "aliases expand the manifest"),
    };

    public static TheoryData<string> Cases => [.. s_cases.Keys];

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Deploy_BadManifest_Is422NamingTheKey_AndLeavesNothing(string name)
    {
        var bad = s_cases[name];
        var files = new Dictionary<string, string>(bad.Files)
        {
            ["epsilon.yaml"] = bad.Manifest,
            ["index.js"] = Functions.Text("corpus", "deployed"),
        };
        using var repository = TestRepository.Create(files);
        var leftovers = await Leftovers.SnapshotAsync(platform);

        using var response = await platform.Builder.PostAsJsonAsync("/deployments", new { repository = repository.Path });

        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        ApiErrors.AssertError((response.StatusCode, body), HttpStatusCode.UnprocessableEntity, "ManifestInvalid", bad.Message);
        var details = body.GetProperty("error").GetProperty("details").EnumerateArray().ToList();
        Assert.True(details.Any(d => d.GetProperty("key").GetString() == bad.Key && d.GetProperty("message").GetString()!.Contains(bad.Message, StringComparison.Ordinal)),
            body.ToString());
        await leftovers.AssertNoneAsync(response.Headers.Location?.OriginalString, ["corpus-m", "invoke"]);
    }
}
