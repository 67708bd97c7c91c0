using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Epsilon.EndToEnd.Tests.Cli;
using Epsilon.EndToEnd.Tests.Infrastructure;

namespace Epsilon.EndToEnd.Tests;

/// <summary>
/// <c>public: false</c> through a real gateway: only calls with one of the function's keys in <c>X-Epsilon-Key</c> reach
/// it, the key never reaches the function, keys are made, listed and revoked through the builder and the CLI, and public
/// functions stay open.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class FunctionKeyTests(PlatformFixture platform)
{
    private const string Headers = """
        module.exports.headers = {
          definition: async (req, res) => { res.json({ headers: req.headers, query: req.query }); },
        };
        """;

    [Fact]
    public async Task PrivateFunction_AnswersOnlyCallsWithAValidKey_WhichItNeverSees_AndPublicOnesStayOpen()
    {
        using var repository = TestRepository.Create(new Dictionary<string, string>
        {
            ["epsilon.yaml"] = """
                runtime: node
                functions:
                  keyed:
                    handler: index.js:headers
                    public: false
                  unkeyed:
                    handler: index.js:headers
                """,
            ["index.js"] = Headers,
        });
        await platform.DeployOkAsync(repository.Path);

        await AssertRefusedAsync(await CallAsync("keyed", key: null), HttpStatusCode.Unauthorized, "FunctionKeyRequired");
        await AssertRefusedAsync(await CallAsync("keyed", key: "eps_not-a-key"), HttpStatusCode.Forbidden, "FunctionKeyRejected");

        using var created = await platform.Builder.PostAsJsonAsync("/functions/keyed/keys", new { name = "frontend" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var key = await created.Content.ReadFromJsonAsync<JsonElement>();
        var secret = key.GetProperty("key").GetString()!;
        Assert.Equal("frontend", key.GetProperty("name").GetString());

        // Gateways load keys with their function table: at its next reload (every RefreshInterval, 500 ms by default).
        await EventuallyAsync(async () => (await CallAsync("keyed", secret)).StatusCode == HttpStatusCode.OK);
        using (var allowed = await CallAsync("keyed", secret))
        {
            Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
            var seen = await allowed.Content.ReadFromJsonAsync<JsonElement>();
            Assert.False(seen.GetProperty("headers").TryGetProperty("x-epsilon-key", out _), seen.ToString());
        }

        // Never from the query string, which access logs keep.
        await AssertRefusedAsync(await platform.Gateway.GetAsync($"/keyed/?key={secret}"), HttpStatusCode.Unauthorized, "FunctionKeyRequired");
        await AssertRefusedAsync(await platform.Gateway.GetAsync($"/keyed/?code={secret}"), HttpStatusCode.Unauthorized, "FunctionKeyRequired");
        // A key opens its own function only.
        using (var other = await CallAsync("unkeyed", secret))
        {
            Assert.Equal(HttpStatusCode.OK, other.StatusCode);
            Assert.False((await other.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("headers").TryGetProperty("x-epsilon-key", out _));
        }

        using (var open = await CallAsync("unkeyed", key: null))
        {
            Assert.Equal(HttpStatusCode.OK, open.StatusCode);
        }

        var listed = await platform.Builder.GetStringAsync("/functions/keyed/keys");
        Assert.DoesNotContain(secret, listed, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NoContent, (await platform.Builder.DeleteAsync($"/functions/keyed/keys/{key.GetProperty("id").GetString()}")).StatusCode);
        // Revoked: gateways refuse it once their table reloads (every RefreshInterval, 500 ms by default).
        await EventuallyAsync(async () => (await CallAsync("keyed", secret)).StatusCode == HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task KeyVerbs_CreateLsRevoke_ThroughTheCli_AndTokensLimitedToOtherRepositoriesAreRefused()
    {
        using var repository = TestRepository.Create(new Dictionary<string, string>
        {
            ["epsilon.yaml"] = "runtime: node\nfunctions:\n  keyed-cli:\n    handler: index.js:headers\n    public: false\n",
            ["index.js"] = Headers,
        });
        await platform.DeployOkAsync(repository.Path);
        using var cli = new EpsilonCli();
        var url = platform.Builder.BaseAddress!.ToString().TrimEnd('/');

        var created = (await cli.RunAsync("key", "create", "keyed-cli", "--name", "mobile", "--json", "--url", url)).Expect(0).Json();
        var secret = created.GetProperty("key").GetString()!;
        var plain = (await cli.RunAsync("key", "create", "keyed-cli", "--url", url)).Expect(0);
        var second = plain.Output.Trim();
        Assert.StartsWith("eps_", second, StringComparison.Ordinal);
        await EventuallyAsync(async () => (await CallAsync("keyed-cli", secret)).StatusCode == HttpStatusCode.OK);
        await EventuallyAsync(async () => (await CallAsync("keyed-cli", second)).StatusCode == HttpStatusCode.OK);

        var listed = (await cli.RunAsync("key", "ls", "keyed-cli", "--json", "--url", url)).Expect(0);
        Assert.Equal(["mobile", "default"], listed.Json().EnumerateArray().Select(k => k.GetProperty("name").GetString()));
        Assert.DoesNotContain(secret, listed.Output, StringComparison.Ordinal);
        Assert.Contains("mobile", (await cli.RunAsync("key", "ls", "keyed-cli", "--url", url)).Expect(0).Output, StringComparison.Ordinal);

        (await cli.RunAsync("key", "revoke", "keyed-cli", created.GetProperty("id").GetString()!, "--url", url)).Expect(0);
        (await cli.RunAsync("key", "revoke", "keyed-cli", created.GetProperty("id").GetString()!, "--url", url)).Expect(5);
        (await cli.RunAsync("key", "ls", "no-such-function", "--url", url)).Expect(5);
        await EventuallyAsync(async () => (await CallAsync("keyed-cli", secret)).StatusCode == HttpStatusCode.Forbidden);
        Assert.Equal(HttpStatusCode.OK, (await CallAsync("keyed-cli", second)).StatusCode);

        // A deploy token for another repository may not touch this function's keys; a read token none at all.
        var other = (await cli.RunAsync("token", "create", "other-repo", "--scope", "deploy", "--repository", "acme/other", "--url", url)).Expect(0).Output.Trim();
        var reader = (await cli.RunAsync("token", "create", "reader", "--scope", "read", "--url", url)).Expect(0).Output.Trim();
        (await cli.RunAsync("key", "create", "keyed-cli", "--url", url, "--token", other)).Expect(4);
        (await cli.RunAsync("key", "ls", "keyed-cli", "--url", url, "--token", reader)).Expect(4);
    }

    private async Task<HttpResponseMessage> CallAsync(string function, string? key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/{function}/");
        if (key is not null)
        {
            request.Headers.Add("X-Epsilon-Key", key);
        }

        return await platform.Gateway.SendAsync(request);
    }

    private static async Task AssertRefusedAsync(HttpResponseMessage response, HttpStatusCode status, string code)
    {
        using (response)
        {
            var body = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == status, $"answered {(int)response.StatusCode}: {body}");
            Assert.Equal(code, JsonDocument.Parse(body).RootElement.GetProperty("error").GetProperty("code").GetString());
        }
    }

    private static async Task EventuallyAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "the condition did not hold within 10 s");
            await Task.Delay(200);
        }
    }
}
