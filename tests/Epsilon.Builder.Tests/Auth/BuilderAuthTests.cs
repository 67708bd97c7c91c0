using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Epsilon.Core.Auth;
using Epsilon.Tests.Shared;

namespace Epsilon.Builder.Auth;

/// <summary>
/// Every builder endpoint against every kind of caller: none, a wrong token, a revoked one, each scope; repository-limited
/// deploy tokens; the bootstrap token; eserveless's tokenless deploys by source address; and no secret in any log line.
/// </summary>
public sealed class BuilderAuthTests : IDisposable
{
    private readonly string _root = TempDirectory.Create("epsilon-builder-auth");
    private readonly string _bootstrap = TokenSecret.Create();

    /// <summary>One endpoint: what to send, the least scope it needs, and what it answers once allowed.</summary>
    public sealed record Endpoint(string Method, string Path, string? Body, TokenScope Scope, HttpStatusCode Allowed)
    {
        public override string ToString() => $"{Method} {Path}";
    }

    public static TheoryData<Endpoint> Endpoints() =>
    [
        new("GET", "/functions", null, TokenScope.Read, HttpStatusCode.OK),
        new("GET", "/functions/nope", null, TokenScope.Read, HttpStatusCode.NotFound),
        new("GET", "/deployments/d-nope", null, TokenScope.Read, HttpStatusCode.NotFound),
        new("GET", "/deployments/d-nope/log", null, TokenScope.Read, HttpStatusCode.NotFound),
        new("POST", "/deployments", "{}", TokenScope.Deploy, HttpStatusCode.BadRequest),
        new("POST", "/api/projects", """{"repository": "ftp://nope"}""", TokenScope.Deploy, HttpStatusCode.BadRequest),
        new("GET", "/tokens", null, TokenScope.Admin, HttpStatusCode.OK),
        new("POST", "/tokens", """{"name": "x", "scope": "bogus"}""", TokenScope.Admin, HttpStatusCode.BadRequest),
        new("DELETE", "/tokens/tok-nope", null, TokenScope.Admin, HttpStatusCode.NotFound),
        new("GET", "/functions/nope/keys", null, TokenScope.Deploy, HttpStatusCode.NotFound),
        new("POST", "/functions/nope/keys", """{"name": "x"}""", TokenScope.Deploy, HttpStatusCode.NotFound),
        new("DELETE", "/functions/nope/keys/key-nope", null, TokenScope.Deploy, HttpStatusCode.NotFound),
        new("GET", "/functions/nope/env", null, TokenScope.Read, HttpStatusCode.NotFound),
        new("PATCH", "/functions/nope/env", """{"set": {"A": "1"}}""", TokenScope.Deploy, HttpStatusCode.NotFound),
        new("GET", "/functions/nope/secrets", null, TokenScope.Read, HttpStatusCode.NotFound),
        new("PUT", "/functions/nope/secrets/S", """{"value": "v"}""", TokenScope.Deploy, HttpStatusCode.NotFound),
        new("DELETE", "/functions/nope/secrets/S", null, TokenScope.Deploy, HttpStatusCode.NotFound),
        new("GET", "/audit", null, TokenScope.Admin, HttpStatusCode.OK),
        new("GET", "/functions/nope/aliases", null, TokenScope.Read, HttpStatusCode.NotFound),
        new("PUT", "/functions/nope/aliases/beta", """{"version": 1}""", TokenScope.Deploy, HttpStatusCode.NotFound),
        new("DELETE", "/functions/nope/aliases/beta", null, TokenScope.Deploy, HttpStatusCode.NotFound),
        // A path no endpoint has: a stranger learns nothing from it either.
        new("GET", "/no-such-endpoint", null, TokenScope.Admin, HttpStatusCode.NotFound),
    ];

    [Theory]
    [MemberData(nameof(Endpoints))]
    public async Task Endpoint_AnswersEachCallerAsItsScopeAllows(Endpoint endpoint)
    {
        // eserveless's CLI sends no token: only that endpoint lets a tokenless loopback call through, so it is refused here.
        await using var builder = await RunningBuilder.StartAsync(_root, _bootstrap, "--Epsilon:Builder:Auth:UnauthenticatedProjectSources:0=none");
        var read = await builder.CreateTokenAsync(_bootstrap, "reader", "read");
        var deploy = await builder.CreateTokenAsync(_bootstrap, "deployer", "deploy");
        var admin = await builder.CreateTokenAsync(_bootstrap, "admin", "admin");
        var revoked = await builder.CreateTokenAsync(_bootstrap, "gone", "admin");
        using (var client = builder.Client(_bootstrap))
        {
            Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync($"/tokens/{revoked.Id}")).StatusCode);
        }

        await AssertUnauthenticatedAsync(await SendAsync(builder.Client(), endpoint), tokenGiven: false);
        await AssertUnauthenticatedAsync(await SendAsync(builder.Client(TokenSecret.Create()), endpoint), tokenGiven: true);
        await AssertUnauthenticatedAsync(await SendAsync(builder.Client(revoked.Secret), endpoint), tokenGiven: true);
        await AssertUnauthenticatedAsync(await SendAsync(builder.Client(_bootstrap, scheme: "Basic"), endpoint), tokenGiven: true);
        await AssertUnauthenticatedAsync(await SendAsync(builder.Client(""), endpoint), tokenGiven: true);

        foreach (var (scope, secret) in new[] { (TokenScope.Read, read.Secret), (TokenScope.Deploy, deploy.Secret), (TokenScope.Admin, admin.Secret) })
        {
            using var response = await SendAsync(builder.Client(secret), endpoint);
            if (scope >= endpoint.Scope)
            {
                Assert.True(endpoint.Allowed == response.StatusCode, $"{endpoint} with a {scope} token answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
            }
            else
            {
                Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
                Assert.Equal("Forbidden", (await ErrorOf(response)).GetProperty("code").GetString());
            }
        }
    }

    [Fact]
    public async Task Health_AnswersWithoutAToken()
    {
        await using var builder = await RunningBuilder.StartAsync(_root, _bootstrap);
        using var client = builder.Client();
        Assert.Equal("ok", await client.GetStringAsync("/_epsilon/health"));
    }

    [Fact]
    public async Task Tokens_CreateShowsTheSecretOnce_ListNeverShowsSecretOrHash_RevokeHoldsAtOnce()
    {
        await using var builder = await RunningBuilder.StartAsync(_root, _bootstrap);
        using var admin = builder.Client(_bootstrap);
        using var created = await admin.PostAsJsonAsync("/tokens", new { name = "ci-shop", scope = "deploy", repositories = new[] { "acme/shop" } });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var token = await created.Content.ReadFromJsonAsync<JsonElement>();
        var secret = token.GetProperty("token").GetString()!;
        Assert.StartsWith("eps_", secret, StringComparison.Ordinal);
        Assert.Equal(47, secret.Length);
        Assert.Equal("deploy", token.GetProperty("scope").GetString());
        Assert.Equal("https://github.com/acme/shop", token.GetProperty("repositories")[0].GetString());

        var listed = await admin.GetStringAsync("/tokens");
        Assert.DoesNotContain(secret, listed, StringComparison.Ordinal);
        Assert.DoesNotContain(TokenSecret.Hash(secret), listed, StringComparison.Ordinal);
        Assert.DoesNotContain("\"token\"", listed, StringComparison.Ordinal);
        var names = JsonDocument.Parse(listed).RootElement.EnumerateArray().Select(t => t.GetProperty("name").GetString()).ToList();
        Assert.Equal(["bootstrap", "ci-shop"], names);

        using var reader = builder.Client(secret);
        Assert.Equal(HttpStatusCode.OK, (await reader.GetAsync("/functions")).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/tokens/{token.GetProperty("id").GetString()}")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await reader.GetAsync("/functions")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.DeleteAsync($"/tokens/{token.GetProperty("id").GetString()}")).StatusCode);
        var revoked = JsonDocument.Parse(await admin.GetStringAsync("/tokens")).RootElement.EnumerateArray().Single(t => t.GetProperty("name").GetString() == "ci-shop");
        Assert.Equal(JsonValueKind.String, revoked.GetProperty("revokedAt").ValueKind);

        using var bad = await admin.PostAsJsonAsync("/tokens", new { name = "", scope = "admin" });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Equal("name", (await ErrorOf(bad)).GetProperty("field").GetString());
        using var badRepository = await admin.PostAsJsonAsync("/tokens", new { name = "x", scope = "deploy", repositories = new[] { "ftp://x" } });
        Assert.Equal("repositories", (await ErrorOf(badRepository)).GetProperty("field").GetString());
    }

    [Fact]
    public async Task RepositoryLimitedDeployToken_DeploysOnlyItsRepositories()
    {
        await using var builder = await RunningBuilder.StartAsync(_root, _bootstrap, "--Epsilon:Builder:AllowLocalRepositories=true");
        var allowed = Path.Combine(_root, "no-such-repository");
        var limited = await builder.CreateTokenAsync(_bootstrap, "ci", "deploy", allowed);
        using var client = builder.Client(limited.Secret);

        // Its own repository passes the token check, then fails for what it is (no repository there): 422, not 403.
        using var own = await client.PostAsJsonAsync("/deployments", new { repository = allowed });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, own.StatusCode);
        using var other = await client.PostAsJsonAsync("/deployments", new { repository = "acme/other" });
        Assert.Equal(HttpStatusCode.Forbidden, other.StatusCode);
        Assert.Equal("Forbidden", (await ErrorOf(other)).GetProperty("code").GetString());
        using var eserveless = await client.PostAsJsonAsync("/api/projects", new { repository = "acme/other" });
        Assert.Equal(HttpStatusCode.Forbidden, eserveless.StatusCode);
        // Reads are not limited by repository.
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/functions")).StatusCode);
    }

    [Fact]
    public async Task EserverlessProjects_WithoutAToken_AreAllowedOnlyFromConfiguredSources()
    {
        var body = """{"repository": "ftp://nope"}""";
        await using (var loopback = await RunningBuilder.StartAsync(_root, _bootstrap))
        {
            // Loopback by default: past authentication to the request's own problem.
            Assert.Equal(HttpStatusCode.BadRequest, (await PostAsync(loopback.Client(), "/api/projects", body)).StatusCode);
            // The rest of the API still needs a token from loopback.
            await AssertUnauthenticatedAsync(await PostAsync(loopback.Client(), "/deployments", body), tokenGiven: false);
            // A token, once given, must be valid: no falling back to the address.
            await AssertUnauthenticatedAsync(await PostAsync(loopback.Client(TokenSecret.Create()), "/api/projects", body), tokenGiven: true);
        }

        await using var elsewhere = await RunningBuilder.StartAsync(_root, _bootstrap, "--Epsilon:Builder:Auth:UnauthenticatedProjectSources:0=10.9.0.0/16");
        await AssertUnauthenticatedAsync(await PostAsync(elsewhere.Client(), "/api/projects", body), tokenGiven: false);
        Assert.Equal(HttpStatusCode.BadRequest, (await PostAsync(elsewhere.Client(_bootstrap), "/api/projects", body)).StatusCode);
    }

    [Fact]
    public async Task BootstrapToken_IsUpsertedAsTheAdminTokenNamedBootstrap_AndAChangedValueReplacesIt()
    {
        await using (var first = await RunningBuilder.StartAsync(_root, _bootstrap))
        {
            Assert.Equal(HttpStatusCode.OK, (await first.Client(_bootstrap).GetAsync("/tokens")).StatusCode);
        }

        // The same value again: still one bootstrap token.
        await using (var again = await RunningBuilder.StartAsync(_root, _bootstrap))
        {
            var tokens = JsonDocument.Parse(await again.Client(_bootstrap).GetStringAsync("/tokens")).RootElement;
            var bootstrap = Assert.Single(tokens.EnumerateArray());
            Assert.Equal("bootstrap", bootstrap.GetProperty("name").GetString());
            Assert.Equal("admin", bootstrap.GetProperty("scope").GetString());
        }

        var replacement = TokenSecret.Create();
        await using var changed = await RunningBuilder.StartAsync(_root, replacement);
        Assert.Equal(HttpStatusCode.Unauthorized, (await changed.Client(_bootstrap).GetAsync("/tokens")).StatusCode);
        Assert.Single(JsonDocument.Parse(await changed.Client(replacement).GetStringAsync("/tokens")).RootElement.EnumerateArray());
    }

    [Fact]
    public async Task BootstrapToken_TooShort_FailsTheStartWithoutSayingTheValue()
    {
        var error = await Assert.ThrowsAnyAsync<Exception>(() => RunningBuilder.StartAsync(_root, "short-secret-value"));
        Assert.Contains("BootstrapToken", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("short-secret-value", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NoSecretOrHash_AppearsInAnyLogLine()
    {
        string created;
        var wrong = TokenSecret.Create();
        LogCapture logs;
        await using (var builder = await RunningBuilder.StartAsync(_root, _bootstrap))
        {
            logs = builder.Logs;
            created = (await builder.CreateTokenAsync(_bootstrap, "ops", "admin")).Secret;
            await builder.Client(created).GetAsync("/functions");
            await builder.Client(wrong).GetAsync("/functions");
            await builder.Client(created).PostAsJsonAsync("/deployments", new { repository = "ftp://nope" });
        }

        Assert.NotEmpty(logs.Lines);
        Assert.Contains(logs.Lines, l => l.Contains("unknown or revoked", StringComparison.Ordinal));
        foreach (var secret in new[] { _bootstrap, created, wrong })
        {
            Assert.DoesNotContain(logs.Lines, l => l.Contains(secret, StringComparison.Ordinal) || l.Contains(TokenSecret.Hash(secret), StringComparison.Ordinal));
        }
    }

    private static async Task<HttpResponseMessage> SendAsync(HttpClient client, Endpoint endpoint)
    {
        using (client)
        {
            using var request = new HttpRequestMessage(new HttpMethod(endpoint.Method), endpoint.Path);
            if (endpoint.Body is not null)
            {
                request.Content = new StringContent(endpoint.Body, Encoding.UTF8, "application/json");
            }

            return await client.SendAsync(request);
        }
    }

    private static async Task<HttpResponseMessage> PostAsync(HttpClient client, string path, string body)
    {
        using (client)
        {
            return await client.PostAsync(path, new StringContent(body, Encoding.UTF8, "application/json"));
        }
    }

    private static async Task AssertUnauthenticatedAsync(HttpResponseMessage response, bool tokenGiven)
    {
        using (response)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            var challenge = Assert.Single(response.Headers.WwwAuthenticate);
            Assert.Equal(tokenGiven ? "Bearer realm=\"epsilon\", error=\"invalid_token\"" : "Bearer realm=\"epsilon\"", challenge.ToString());
            // The platform's error shape and nothing more: a code and a message.
            var body = await response.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal(["error"], body.EnumerateObject().Select(p => p.Name));
            Assert.Equal(["code", "message"], body.GetProperty("error").EnumerateObject().Select(p => p.Name));
            Assert.Equal("Unauthorized", body.GetProperty("error").GetProperty("code").GetString());
        }
    }

    private static async Task<JsonElement> ErrorOf(HttpResponseMessage response) =>
        (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error");

    public void Dispose() => TempDirectory.Delete(_root);
}
