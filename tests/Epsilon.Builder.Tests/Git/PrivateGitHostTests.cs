using Epsilon.Builder.Auth;
using Epsilon.Tests.Shared;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Epsilon.Builder.Git;

/// <summary>
/// Fetching from a private Git host over HTTPS (nginx, git-http-backend, basic auth, a certificate a test CA signed) with
/// a configured credential; and what a caller learns when a fetch fails: one message, whatever the cause.
/// </summary>
public sealed class PrivateGitHostTests : IAsyncLifetime
{
    private const string Password = "gh-token-7f3a9c1e";
    private readonly TestCertificateAuthority _ca = new("Epsilon Git host test CA");
    private readonly GitRepository _origin = new();
    private readonly string _work = TempDirectory.Create("epsilon-git-private");
    private readonly List<string> _log = [];
    private readonly LogCapture _logs = new();
    private HttpsGitServer _host = null!;
    private string _caFile = "";
    private string _head = "";

    private string Target => Path.Combine(_work, "repository-" + Guid.NewGuid().ToString("N")[..6]);

    public async Task InitializeAsync()
    {
        _origin.WriteFile("epsilon.yaml", "runtime: node\n");
        _head = _origin.Commit("private");
        var repositories = Path.Combine(_work, "repositories");
        Directory.CreateDirectory(Path.Combine(repositories, "acme"));
        _origin.Git("clone", "-q", "--bare", _origin.Path, Path.Combine(repositories, "acme", "private.git"));
        _caFile = _ca.WriteCa(Path.Combine(_work, "git-ca.pem"));
        _host = await HttpsGitServer.StartAsync(_ca, repositories, "x-access-token", Password);
    }

    [Fact]
    public async Task WithTheHostsCredentialAndCa_FetchesThePrivateRepository_AndNothingLogsTheToken()
    {
        var passwordFile = Path.Combine(_work, "token");
        await File.WriteAllTextAsync(passwordFile, Password + "\n");

        var commit = await WithLogsOnFailure(() => Fetcher(o => o.GitCredentials.Add(new GitCredential { Host = $"127.0.0.1:{_host.Port}", PasswordFile = passwordFile }))
            .FetchAsync(Source(_host.UrlOf("acme/private.git")), null, Target, _log.Add));

        Assert.Equal(_head, commit);
        Assert.All(_log.Concat(_logs.Lines), line => Assert.DoesNotContain(Password, line, StringComparison.Ordinal));
    }

    [Fact]
    public async Task EveryFailureToFetchARemote_GetsTheSameMessage_WhetherHostPathOrAccessIsWrong()
    {
        var credential = new GitCredential { Host = $"127.0.0.1:{_host.Port}", Password = Password };
        var cases = new (string Why, string Url, Action<BuilderOptions> Configure)[]
        {
            ("no credential", _host.UrlOf("acme/private.git"), _ => { }),
            ("a wrong password", _host.UrlOf("acme/private.git"),
                o => o.GitCredentials.Add(new GitCredential { Host = credential.Host, Password = "not-the-token" })),
            ("a path that does not exist", _host.UrlOf("acme/nothing-here.git"), o => o.GitCredentials.Add(credential)),
            ("a credential for another host", _host.UrlOf("acme/private.git"),
                o => o.GitCredentials.Add(new GitCredential { Host = "github.com", Password = Password })),
            ("nothing listening", "https://127.0.0.1:1/acme/private.git", o => o.GitCredentials.Add(credential)),
            ("a host that does not resolve", "https://git.no-such-host.invalid/acme/private.git", o => o.GitCredentials.Add(credential)),
        };

        foreach (var (why, url, configure) in cases)
        {
            var exception = await Assert.ThrowsAsync<GitFetchException>(() => Fetcher(o =>
            {
                o.GitCaFile = _caFile;
                configure(o);
            }).FetchAsync(Source(url), null, Target, _log.Add));
            Assert.True(exception.Message == GitFetcher.Unavailable, $"{why}: '{exception.Message}'");
        }

        // The operator's log keeps git's own reason for each.
        Assert.Equal(cases.Length, _logs.Lines.Count(l => l.Contains("failed:", StringComparison.Ordinal)));
        Assert.All(_log.Concat(_logs.Lines), line => Assert.DoesNotContain(Password, line, StringComparison.Ordinal));
    }

    [Fact]
    public async Task WithoutTheCa_TheHostsCertificateIsRefused()
    {
        await Assert.ThrowsAsync<GitFetchException>(() =>
            Fetcher(o => o.GitCredentials.Add(new GitCredential { Host = $"127.0.0.1:{_host.Port}", Password = Password }), caFile: false)
                .FetchAsync(Source(_host.UrlOf("acme/private.git")), null, Target, _log.Add));
        Assert.Contains(_logs.Lines, l => l.Contains("certificate", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task AMissingRefOfAReadableRepository_IsSaidAsItIs()
    {
        var exception = await Assert.ThrowsAsync<GitFetchException>(() =>
            Fetcher(o => o.GitCredentials.Add(new GitCredential { Host = $"127.0.0.1:{_host.Port}", Password = Password }))
                .FetchAsync(Source(_host.UrlOf("acme/private.git")), "no-such-branch", Target, _log.Add));
        Assert.Contains("no-such-branch", exception.Message, StringComparison.Ordinal);
    }

    private async Task<T> WithLogsOnFailure<T>(Func<Task<T>> action)
    {
        try
        {
            return await action();
        }
        catch (GitFetchException ex)
        {
            Assert.Fail($"{ex.Message}\nbuilder log:\n{string.Join('\n', _logs.Lines)}\nnginx:\n{_host.ErrorLog}");
            throw;
        }
    }

    private GitFetcher Fetcher(Action<BuilderOptions> configure, bool caFile = true)
    {
        var options = new BuilderOptions();
        if (caFile)
        {
            options.GitCaFile = _caFile;
        }

        configure(options);
        return new GitFetcher(Options.Create(options), TimeProvider.System, new Logger<GitFetcher>(new LoggerFactory([_logs])));
    }

    private static RepositorySource Source(string url)
    {
        Assert.True(RepositorySource.TryParse(url, out var source, out var error), error);
        return source!;
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        _ca.Dispose();
        _origin.Dispose();
        TempDirectory.Delete(_work);
    }
}
