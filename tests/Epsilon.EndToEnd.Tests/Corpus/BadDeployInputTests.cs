using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Epsilon.EndToEnd.Tests.Infrastructure;

namespace Epsilon.EndToEnd.Tests.Corpus;

/// <summary>
/// The bad-input corpus of <c>POST /deployments</c> and the builder's paths: repository URLs, refs and bodies, and names
/// in <c>/functions/{name}</c>. Each gets its status, code, message and field, and leaves nothing behind.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class BadDeployInputTests(PlatformFixture platform)
{
    private const string Secret = "hunter2-corpus";

    /// <summary>A deploy's body, <c>{repository}</c> standing for a valid local repository's path (a JSON string).</summary>
    private sealed record DeployCase(string Body, Expected Expected)
    {
        /// <summary>Sent to a builder that does not deploy local repositories.</summary>
        public bool LocalRepositoriesOff { get; init; }
    }

    private static Expected BadRepository(string message) => new(400, "InvalidRepository", message, "repository");

    private static Expected BadRef(string message = "is not a branch, tag or commit") => new(400, "InvalidRef", message, "ref");

    private static Expected BadBody(string message = "the body must be JSON") => new(400, "InvalidBody", message);

    private static string Json(string repository, string? gitRef = null) =>
        gitRef is null ? JsonSerializer.Serialize(new { repository }) : JsonSerializer.Serialize(new { repository, @ref = gitRef });

    private static string WithRef(string gitRef) => $$"""{"repository": {repository}, "ref": {{JsonSerializer.Serialize(gitRef)}}}""";

    private static readonly Dictionary<string, DeployCase> s_deploys = new()
    {
        ["repository: ftp://"] = new(Json("ftp://example.com/repo"), BadRepository("scheme 'ftp' is not supported")),
        ["repository: javascript:"] = new(Json("javascript:alert(1)"), BadRepository("scheme 'javascript' is not supported")),
        ["repository: ssh://"] = new(Json("ssh://git@github.com/acme/shop.git"), BadRepository("scheme 'ssh' is not supported")),
        ["repository: scp-like git@host:path"] = new(Json("git@github.com:acme/shop.git"), BadRepository("is not a repository")),
        ["repository: empty"] = new(Json(""), BadRepository("is required")),
        ["repository: blank"] = new(Json("   "), BadRepository("is required")),
        ["repository: null"] = new("""{"repository": null}""", BadRepository("is required")),
        ["repository: missing"] = new("{}", BadRepository("is required")),
        ["repository: 10 KB long"] = new(Json("https://example.com/" + new string('a', 10 * 1024)), BadRepository("is not a repository URL")),
        ["repository: a newline inside"] = new(Json("https://example.com/a\nb"), BadRepository("is not a repository URL")),
        ["repository: relative path"] = new(Json("../repository"), BadRepository("is not a repository")),
        ["repository: --upload-pack option"] = new(Json("--upload-pack=touch /tmp/corpus-pwned"), BadRepository("is not a repository")),
        ["repository: http:// with credentials"] = new(Json($"http://corpus:{Secret}@example.com/x.git"),
            BadRepository("scheme 'http' is not supported") with { Hidden = [Secret] }),
        ["repository: https:// with credentials, unreachable"] = new(Json($"https://corpus:{Secret}@127.0.0.1:1/x.git"),
            new Expected(422, "RepositoryUnavailable", "could not be fetched", "repository") { Hidden = [Secret] }),
        ["repository: credentials in an unparsable URL"] = new(Json($"https://corpus:{Secret} x@exa mple.com/x"),
            BadRepository("is not a repository") with { Hidden = [Secret] }),
        ["repository: metadata address over http"] = new(Json("http://169.254.169.254/latest/meta-data/"), BadRepository("scheme 'http' is not supported")),
        ["repository: metadata address over https"] = new(Json("https://169.254.169.254/latest/meta-data/"), BadRepository("link-local")),
        ["repository: metadata address as one number"] = new(Json("https://2852039166/latest/meta-data/"), BadRepository("link-local")),
        ["repository: metadata address mapped into IPv6"] = new(Json("https://[::ffff:169.254.169.254]/x.git"), BadRepository("link-local")),
        ["repository: IPv6 link-local address"] = new(Json("https://[fe80::1]/acme/shop.git"), BadRepository("link-local")),
        // Cyrillic 'і' for 'i': shown as the punycode git resolves, never as a look-alike of github.com.
        ["repository: homoglyph host"] = new(Json("https://g\u0456thub.com/acme/shop.git"),
            new Expected(422, "RepositoryUnavailable", "https://xn--", "repository")),
        ["repository: file:// with a host"] = new(Json("file://evil.example/etc"), BadRepository("is not supported")),
        ["repository: file:// when local repositories are off"] = new("""{"repository": "file:///etc"}""", BadRepository("names a path on the builder's own disk"))
        {
            LocalRepositoriesOff = true,
        },
        ["repository: absolute path when local repositories are off"] = new("""{"repository": {repository}}""",
            BadRepository("names a path on the builder's own disk")) { LocalRepositoriesOff = true },
        ["ref: --foo"] = new(WithRef("--foo"), BadRef()),
        ["ref: ../../"] = new(WithRef("../../"), BadRef()),
        ["ref: refs/heads/"] = new(WithRef("refs/heads/"), BadRef()),
        ["ref: 300 characters"] = new(WithRef(new string('r', 300)), BadRef()),
        ["ref: a newline inside"] = new(WithRef("main\nevil"), BadRef()),
        ["ref: a refspec writing a local ref"] = new(WithRef("main:refs/heads/stolen"), BadRef()),
        ["ref: a reflog selector"] = new(WithRef("HEAD@{1}"), BadRef()),
        ["ref: a branch that does not exist"] = new(WithRef("no-such-branch"), new Expected(422, "RepositoryUnavailable", "no-such-branch", "repository")),
        ["body: malformed JSON"] = new("{not json", BadBody()),
        ["body: empty"] = new("", BadBody()),
        ["body: a JSON array"] = new("[]", BadBody()),
        ["body: repository as a number"] = new("""{"repository": 5}""", BadBody()),
        ["body: ref as an object"] = new("""{"repository": {repository}, "ref": {}}""", BadBody()),
    };

    public static TheoryData<string> Deploys => [.. s_deploys.Keys];

    [Theory]
    [MemberData(nameof(Deploys))]
    public async Task Deploy_BadInput_IsRefusedAsExpected_AndLeavesNothing(string name)
    {
        var (body, expected) = s_deploys[name];
        using var repository = TestRepository.Create(new Dictionary<string, string>
        {
            ["epsilon.yaml"] = "runtime: node\nfunctions:\n  corpus-deploy:\n    handler: index.js:corpus\n",
            ["index.js"] = Functions.Text("corpus", "deployed"),
        });
        var leftovers = await Leftovers.SnapshotAsync(platform);
        var content = new StringContent(body.Replace("{repository}", JsonSerializer.Serialize(repository.Path), StringComparison.Ordinal), Encoding.UTF8,
            "application/json");

        HttpResponseMessage response;
        if (s_deploys[name].LocalRepositoriesOff)
        {
            await using var builder = Epsilon.Builder.BuilderApplication.Build(
                [.. platform.BuilderArguments(platform.StorePath, platform.WorkDirectory), "--Epsilon:Builder:AllowLocalRepositories=false"]);
            await builder.StartAsync();
            using var client = TestAdmin.Authorize(new HttpClient { BaseAddress = new Uri(builder.Urls.First()) });
            response = await client.PostAsync("/deployments", content);
            await builder.StopAsync();
        }
        else
        {
            response = await platform.Builder.PostAsync("/deployments", content);
        }

        using (response)
        {
            await AssertAnswerAsync(response, expected);
            var location = response.Headers.Location?.OriginalString;
            if (location is not null)
            {
                var deployment = await platform.Builder.GetStringAsync(location);
                Assert.All(expected.Hidden, h => Assert.DoesNotContain(h, deployment, StringComparison.Ordinal));
            }

            Assert.All(expected.Hidden, h => Assert.DoesNotContain(platform.Logs.Lines, l => l.Contains(h, StringComparison.Ordinal)));

            await leftovers.AssertNoneAsync(location, ["corpus-deploy"]);
        }
    }

    private static readonly Dictionary<string, (HttpMethod Method, string Path, string? Body, Expected Expected)> s_paths = new()
    {
        ["GET /functions/..%2f.."] = (HttpMethod.Get, "/functions/..%2f..", null, new(404, "FunctionNotFound", "function '..%2f..' does not exist")),
        ["GET /functions/..%2f../versions"] = (HttpMethod.Get, "/functions/..%2f../versions", null, new(404, "FunctionNotFound", "does not exist")),
        ["DELETE /functions/..%2f.."] = (HttpMethod.Delete, "/functions/..%2f..", null, new(404, "FunctionNotFound", "does not exist")),
        ["GET /functions/ an upper-case name"] = (HttpMethod.Get, "/functions/Corpus-Echo", null, new(404, "FunctionNotFound", "'Corpus-Echo' does not exist")),
        ["GET /functions/ a 64-character name"] = (HttpMethod.Get, "/functions/" + new string('a', 64), null, new(404, "FunctionNotFound", "does not exist")),
        ["GET /functions/invoke, the reserved name"] = (HttpMethod.Get, "/functions/invoke", null, new(404, "FunctionNotFound", "'invoke' does not exist")),
        ["GET /functions/ a name with NUL"] = (HttpMethod.Get, "/functions/corpus%00x", null, new(400, null)),
        ["POST rollback: malformed JSON"] = (HttpMethod.Post, "/functions/corpus-none/rollback", "{bad", new(400, "InvalidBody", "the body must be empty or JSON", "version")),
        ["POST rollback: a negative version"] = (HttpMethod.Post, "/functions/corpus-none/rollback", """{"version": -1}""",
            new(400, "InvalidVersion", "not -1", "version")),
        ["GET /deployments/..%2f.."] = (HttpMethod.Get, "/deployments/..%2f..", null, new(404, "DeploymentNotFound", "does not exist")),
    };

    public static TheoryData<string> Paths => [.. s_paths.Keys];

    [Theory]
    [MemberData(nameof(Paths))]
    public async Task BuilderPath_BadName_IsRefusedAsExpected_AndLeavesNothing(string name)
    {
        var (method, path, body, expected) = s_paths[name];
        var leftovers = await Leftovers.SnapshotAsync(platform);
        using var request = new HttpRequestMessage(method, path)
        {
            Content = body is null ? null : new StringContent(body, Encoding.UTF8, "application/json"),
        };

        using var response = await platform.Builder.SendAsync(request);

        await AssertAnswerAsync(response, expected);
        await leftovers.AssertNoneAsync(null, []);
    }

    private static async Task AssertAnswerAsync(HttpResponseMessage response, Expected expected)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.All(expected.Hidden, h => Assert.DoesNotContain(h, text, StringComparison.Ordinal));
        if (expected.Code is null)
        {
            Assert.True((int)response.StatusCode == expected.Status, $"expected {expected.Status}, got {(int)response.StatusCode}: {text}");
            return;
        }

        ApiErrors.AssertError((response.StatusCode, JsonDocument.Parse(text).RootElement), (HttpStatusCode)expected.Status, expected.Code, expected.Message,
            expected.Field);
    }
}
