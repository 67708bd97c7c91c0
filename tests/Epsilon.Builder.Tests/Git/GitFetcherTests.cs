using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Epsilon.Builder.Git;

public sealed class GitFetcherTests : IDisposable
{
    private readonly GitRepository _origin = new();
    private readonly string _work = TempDirectory.Create("epsilon-git-fetch");
    private readonly List<string> _log = [];

    private string Target => Path.Combine(_work, "repository");

    public void Dispose()
    {
        _origin.Dispose();
        TempDirectory.Delete(_work);
    }

    [Fact]
    public async Task FetchAsync_NoRef_ChecksOutDefaultBranchHeadAndReturnsItsSha()
    {
        _origin.WriteFile("epsilon.yaml", "runtime: node\n");
        _origin.WriteFile("src/index.js", "v1");
        _origin.Commit("first");
        _origin.WriteFile("src/index.js", "v2");
        var head = _origin.Commit("second");

        var commit = await Fetcher().FetchAsync(_origin.Source, null, Target, _log.Add);

        Assert.Equal(head, commit);
        Assert.Matches("^[0-9a-f]{40}$", commit);
        Assert.Equal("runtime: node\n", await File.ReadAllTextAsync(Path.Combine(Target, "epsilon.yaml")));
        Assert.Equal("v2", await File.ReadAllTextAsync(Path.Combine(Target, "src", "index.js")));
        Assert.Contains(_log, line => line.Contains(commit, StringComparison.Ordinal));
    }

    [Fact]
    public async Task FetchAsync_NamedBranch_ChecksOutThatBranch()
    {
        _origin.WriteFile("index.js", "main");
        var main = _origin.Commit("on main");
        _origin.Git("checkout", "-q", "-b", "feature");
        _origin.WriteFile("index.js", "feature");
        _origin.WriteFile("feature-only.txt", "x");
        var feature = _origin.Commit("on feature");
        _origin.Git("checkout", "-q", "main");

        var commit = await Fetcher().FetchAsync(_origin.Source, "feature", Target, _log.Add);

        Assert.Equal(feature, commit);
        Assert.NotEqual(main, commit);
        Assert.Equal("feature", await File.ReadAllTextAsync(Path.Combine(Target, "index.js")));
        Assert.True(File.Exists(Path.Combine(Target, "feature-only.txt")));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task FetchAsync_Tag_ChecksOutTheTaggedCommit(bool annotated)
    {
        _origin.WriteFile("index.js", "tagged");
        var tagged = _origin.Commit("release");
        if (annotated)
        {
            _origin.Git("tag", "-a", "v1.0", "-m", "release 1.0");
        }
        else
        {
            _origin.Git("tag", "v1.0");
        }

        _origin.WriteFile("index.js", "later");
        _origin.Commit("after the release");

        var commit = await Fetcher().FetchAsync(_origin.Source, "v1.0", Target, _log.Add);

        Assert.Equal(tagged, commit);
        Assert.Equal("tagged", await File.ReadAllTextAsync(Path.Combine(Target, "index.js")));
    }

    [Fact]
    public async Task FetchAsync_FullCommitSha_ChecksOutThatCommit()
    {
        _origin.WriteFile("index.js", "old");
        var old = _origin.Commit("old");
        _origin.WriteFile("index.js", "new");
        _origin.Commit("new");

        var commit = await Fetcher().FetchAsync(_origin.Source, old, Target, _log.Add);

        Assert.Equal(old, commit);
        Assert.Equal("old", await File.ReadAllTextAsync(Path.Combine(Target, "index.js")));
    }

    [Fact]
    public async Task FetchAsync_MissingPath_ThrowsGitFetchExceptionWithGitsMessage()
    {
        var missing = Path.Combine(_work, "no-such-repository");
        Assert.True(RepositorySource.TryParse(missing, out var source, out _));

        var exception = await Assert.ThrowsAsync<GitFetchException>(() => Fetcher().FetchAsync(source!, null, Target, _log.Add));

        Assert.StartsWith("fatal:", exception.Message);
    }

    [Fact]
    public async Task FetchAsync_NonexistentRef_ThrowsGitFetchException()
    {
        _origin.WriteFile("index.js", "x");
        _origin.Commit("only");

        var exception = await Assert.ThrowsAsync<GitFetchException>(
            () => Fetcher().FetchAsync(_origin.Source, "no-such-branch", Target, _log.Add));

        Assert.Contains("no-such-branch", exception.Message);
    }

    [Theory]
    [InlineData("--upload-pack=touch /tmp/epsilon-pwned")]
    [InlineData("-h")]
    public async Task FetchAsync_RefLookingLikeAnOption_IsRejected(string gitRef)
    {
        _origin.WriteFile("index.js", "x");
        _origin.Commit("only");

        await Assert.ThrowsAsync<GitFetchException>(() => Fetcher().FetchAsync(_origin.Source, gitRef, Target, _log.Add));
    }

    [Fact]
    public async Task FetchAsync_RepositoryLargerThanLimit_ThrowsGitFetchExceptionAboutSize()
    {
        _origin.WriteFile("index.js", "x");
        _origin.WriteFile("blob.bin", RandomNumberGenerator.GetBytes(1024 * 1024));
        _origin.Commit("big");

        var exception = await Assert.ThrowsAsync<GitFetchException>(
            () => Fetcher(o => o.MaxRepositoryBytes = 64 * 1024).FetchAsync(_origin.Source, null, Target, _log.Add));

        Assert.Contains("larger than", exception.Message);
    }

    [Fact]
    public async Task FetchAsync_SymbolicLinksOutOfTheRepositoryOrInALoop_AreNotFollowedWhenMeasuring()
    {
        _origin.WriteFile("index.js", "x");
        File.CreateSymbolicLink(Path.Combine(_origin.Path, "usr"), "/usr");
        File.CreateSymbolicLink(Path.Combine(_origin.Path, "passwd"), "/etc/passwd");
        File.CreateSymbolicLink(Path.Combine(_origin.Path, "loop"), ".");
        var head = _origin.Commit("links");

        var commit = await Fetcher(o => o.MaxRepositoryBytes = 64 * 1024).FetchAsync(_origin.Source, null, Target, _log.Add);

        Assert.Equal(head, commit);
        Assert.Equal("/usr", new FileInfo(Path.Combine(Target, "usr")).LinkTarget);
        Assert.Equal(".", new FileInfo(Path.Combine(Target, "loop")).LinkTarget);
    }

    [Fact]
    public async Task FetchAsync_RepositoryWithinLimit_IsFetched()
    {
        _origin.WriteFile("blob.bin", RandomNumberGenerator.GetBytes(16 * 1024));
        var head = _origin.Commit("small");

        var commit = await Fetcher(o => o.MaxRepositoryBytes = 4 * 1024 * 1024).FetchAsync(_origin.Source, null, Target, _log.Add);

        Assert.Equal(head, commit);
    }

    [Fact]
    public async Task FetchAsync_UnreachableHttpsUrlWithCredentials_FailsWithoutLeakingThem()
    {
        Assert.True(RepositorySource.TryParse("https://bot:s3cret-token@127.0.0.1:1/acme/shop.git", out var source, out _));

        var exception = await Assert.ThrowsAsync<GitFetchException>(() => Fetcher().FetchAsync(source!, null, Target, _log.Add));

        Assert.DoesNotContain("s3cret-token", exception.Message);
        Assert.All(_log, line => Assert.DoesNotContain("s3cret-token", line));
    }

    [Fact]
    public async Task FetchAsync_RemoteThatNeverAnswers_FailsWhenTheClockPassesTheCloneTimeout()
    {
        // The remote accepts connections (in its backlog) and never answers: whatever stage the fetch is at, only the clock ends it.
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        var port = ((IPEndPoint)silent.LocalEndpoint).Port;
        Assert.True(RepositorySource.TryParse($"https://127.0.0.1:{port}/acme/shop.git", out var source, out _));
        var time = new FakeTimeProvider();

        var fetch = Fetcher(o => o.CloneTimeout = TimeSpan.FromMinutes(2), time).FetchAsync(source!, null, Target, _log.Add);
        time.Advance(TimeSpan.FromMinutes(2));

        var exception = await Assert.ThrowsAsync<GitFetchException>(() => fetch);
        Assert.Contains("took longer than 120 s", exception.Message);
    }

    private static GitFetcher Fetcher(Action<BuilderOptions>? configure = null, TimeProvider? timeProvider = null)
    {
        var options = new BuilderOptions();
        configure?.Invoke(options);
        return new GitFetcher(Options.Create(options), timeProvider ?? TimeProvider.System, NullLogger<GitFetcher>.Instance);
    }
}
