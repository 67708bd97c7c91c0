using System.Text.Json;
using Epsilon.EndToEnd.Tests.Infrastructure;

namespace Epsilon.EndToEnd.Tests.Corpus;

/// <summary>
/// The bad-input corpus of calls through the gateway: paths, selectors, Host names, headers and bodies, sent on a raw
/// connection so each arrives exactly as written. Each gets its status (and the platform's error code and message where
/// the platform, not Kestrel, answers) and starts no container.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class BadCallTests(PlatformFixture platform)
{
    private const string Manifest = """
        runtime: node
        functions:
          corpus-fn:
            handler: index.js:corpus
            maxContainers: 1
          corpus-private:
            handler: index.js:corpus
            public: false
            maxContainers: 1
        """;

    /// <summary>A call's request line and headers, <c>{host}</c> standing for the gateway's address.</summary>
    private sealed record CallCase(string Head, Expected Expected)
    {
        /// <summary>An <c>X-Epsilon-Request-Id</c> the answer must not carry back (a fresh id instead).</summary>
        public string? RequestId { get; init; }
    }

    private static string Get(string path, params string[] headers) => $"GET {path} HTTP/1.1\r\nHost: {{host}}" + string.Concat(headers.Select(h => "\r\n" + h));

    private static Expected NotFound(string message) => new(404, "FunctionNotFound", message);

    private static readonly string s_longName = "c" + new string('x', 63);

    private static readonly Dictionary<string, CallCase> s_cases = new()
    {
        ["path: /%2e%2e/"] = new(Get("/%2e%2e/"), NotFound("names no function")),
        ["path: /%2e%2e/corpus-nope/"] = new(Get("/%2e%2e/corpus-nope/"), NotFound("function 'corpus-nope' does not exist")),
        ["path: /"] = new(Get("/"), NotFound("names no function")),
        ["path: //corpus-nope"] = new(Get("//corpus-nope"), NotFound("names no function")),
        ["path: /corpus-fn%2fx"] = new(Get("/corpus-fn%2fx"), NotFound("function 'corpus-fn%2fx' does not exist")),
        ["path: /corpus-fn%2Fx/"] = new(Get("/corpus-fn%2Fx/"), NotFound("function 'corpus-fn%2Fx' does not exist")),
        ["path: /corpus-fn%5cx"] = new(Get("/corpus-fn%5cx"), NotFound("does not exist")),
        ["path: /corpus-fn@"] = new(Get("/corpus-fn@/"), NotFound("names no function")),
        ["path: /corpus-fn@v0"] = new(Get("/corpus-fn@v0/"), new(404, "VersionNotFound", "function 'corpus-fn' has no ready version 'v0'")),
        ["path: /corpus-fn@v99999999999"] = new(Get("/corpus-fn@v99999999999/"), new(404, "VersionNotFound", "has no ready version 'v99999999999'")),
        ["path: /corpus-fn@v-1"] = new(Get("/corpus-fn@v-1/"), new(404, "AliasNotFound", "has no alias 'v-1'")),
        ["path: /corpus-fn@../x"] = new(Get("/corpus-fn@../x"), new(404, "AliasNotFound", "has no alias '..'")),
        ["path: /corpus-fn@@live"] = new(Get("/corpus-fn@@live/"), new(404, "AliasNotFound", "has no alias '@live'")),
        ["path: /invoke/../corpus-nope"] = new(Get("/invoke/../corpus-nope"), NotFound("function 'corpus-nope' does not exist")),
        ["path: /invoke/..%2f../corpus-fn"] = new(Get("/invoke/..%2f../corpus-fn"), NotFound("function '2f--corpus-fn' does not exist")),
        // A project of no letter or digit would fold away in the joined name, reaching corpus-fn itself.
        ["path: /invoke/_/corpus-fn"] = new(Get("/invoke/_/corpus-fn"), NotFound("names no function")),
        ["path: /invoke/corpus/..."] = new(Get("/invoke/corpus/.../x"), NotFound("names no function")),
        ["path: /_epsilon/../corpus-nope"] = new(Get("/_epsilon/../corpus-nope"), NotFound("function 'corpus-nope' does not exist")),
        ["path: an upper-case name"] = new(Get("/Corpus-Fn/"), NotFound("function 'Corpus-Fn' does not exist")),
        ["path: a 64-character name"] = new(Get($"/{s_longName}/"), NotFound($"function '{s_longName}' does not exist")),
        ["path: /invoke, the reserved name"] = new(Get("/invoke/"), NotFound("function 'invoke' does not exist")),
        ["path: 10 KB long"] = new(Get("/corpus-fn/" + new string('a', 10 * 1024)), new(414, null)),
        ["path: a NUL byte"] = new(Get("/corpus-fn%00/"), new(400, null)),
        ["path: a raw space"] = new(Get("/corpus fn/"), new(400, null)),
        ["host: an empty label"] = new(Get("/", "Host: .corpus-fn.fn.test").Replace("Host: {host}\r\n", "", StringComparison.Ordinal),
            NotFound("names no function")),
        ["host: three labels"] = new(Get("/", "Host: a.b.corpus-fn.fn.test").Replace("Host: {host}\r\n", "", StringComparison.Ordinal),
            NotFound("names no function")),
        ["header: 40 KB"] = new(Get("/corpus-fn/", "X-Big: " + new string('b', 40 * 1024)), new(431, null)),
        ["header: a NUL byte in a value"] = new(Get("/corpus-fn/", "X-Nul: a\0b"), new(400, null)),
        ["header: no key for a private function"] = new(Get("/corpus-private/"), new(401, "FunctionKeyRequired", "needs a key in the X-Epsilon-Key header")),
        ["header: X-Epsilon-Key junk"] = new(Get("/corpus-private/", "X-Epsilon-Key: ../../etc/passwd"), new(403, "FunctionKeyRejected", "the key is not valid")),
        ["header: X-Epsilon-Key of 8 KB"] = new(Get("/corpus-private/", "X-Epsilon-Key: " + new string('k', 8 * 1024)),
            new(403, "FunctionKeyRejected", "the key is not valid")),
        ["header: X-Epsilon-Request-Id path traversal"] = new(Get("/corpus-nope/", "X-Epsilon-Request-Id: ../../etc/passwd"), NotFound("does not exist"))
        {
            RequestId = "../../etc/passwd",
        },
        ["header: X-Epsilon-Request-Id markup"] = new(Get("/corpus-nope/", "X-Epsilon-Request-Id: <script>alert(1)</script>"), NotFound("does not exist"))
        {
            RequestId = "<script>alert(1)</script>",
        },
        ["header: X-Epsilon-Request-Id of 1 KB"] = new(Get("/corpus-nope/", "X-Epsilon-Request-Id: " + new string('1', 1024)), NotFound("does not exist"))
        {
            RequestId = new string('1', 1024),
        },
        ["body: over 6 MiB, with a length"] = new($"POST /corpus-fn/ HTTP/1.1\r\nHost: {{host}}\r\nContent-Length: {7 * 1024 * 1024}\r\nExpect: 100-continue",
            new(413, "PayloadTooLarge", "is larger than the limit of 6291456 bytes")),
        ["body: a negative length"] = new("POST /corpus-fn/ HTTP/1.1\r\nHost: {host}\r\nContent-Length: -1", new(400, null)),
    };

    public static TheoryData<string> Cases => [.. s_cases.Keys];

    private static Task? s_deployed;

    private Task DeployAsync() => s_deployed ??= DeployOnceAsync();

    private async Task DeployOnceAsync()
    {
        using var repository = TestRepository.Create(new Dictionary<string, string>
        {
            ["epsilon.yaml"] = Manifest,
            ["index.js"] = Functions.Text("corpus", "served"),
        });
        await platform.DeployOkAsync(repository.Path);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Call_BadInput_IsRefusedAsExpected_AndStartsNoContainer(string name)
    {
        await DeployAsync();
        var bad = s_cases[name];
        var leftovers = await Leftovers.SnapshotAsync(platform);

        var answer = await RawHttp.SendAsync(platform.Gateway.BaseAddress!, bad.Head.Replace("{host}", platform.Gateway.BaseAddress!.Authority, StringComparison.Ordinal));

        Assert.True(answer.Status == bad.Expected.Status, $"expected {bad.Expected.Status}, got {answer.Status}: {answer.Body}");
        if (bad.Expected.Code is not null)
        {
            var error = JsonDocument.Parse(answer.Body).RootElement.GetProperty("error");
            Assert.Equal(bad.Expected.Code, error.GetProperty("code").GetString());
            Assert.Contains(bad.Expected.Message!, error.GetProperty("message").GetString(), StringComparison.Ordinal);
        }

        if (bad.RequestId is { } sent)
        {
            Assert.Matches("^[0-9a-f]{32}$", answer.Headers["x-epsilon-request-id"]);
            Assert.DoesNotContain(sent, answer.Body, StringComparison.Ordinal);
        }

        await leftovers.AssertNoneAsync(null, []);
    }
}
