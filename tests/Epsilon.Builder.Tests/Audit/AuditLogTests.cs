using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Epsilon.Builder.Auth;
using Epsilon.Core.Audit;
using Epsilon.Core.Auth;
using Epsilon.Core.Store;

namespace Epsilon.Builder.Audit;

/// <summary>
/// The audit log on a running builder: which calls it records and what it says of each, that only admins read it, that no
/// body, query string or credential reaches it, that a failed write leaves the call's answer alone, and its retention.
/// </summary>
public sealed class AuditLogTests : IDisposable
{
    private readonly SqliteStoreDatabase _database = new();
    private readonly string _bootstrap = TokenSecret.Create();

    [Fact]
    public async Task ControlPlaneActions_AndRefusals_AreRecordedWithActorSourceActionTargetAndStatus_ReadsAreNot()
    {
        await using var builder = await StartAsync();
        var bootstrapId = await BootstrapIdAsync(builder);
        var reader = await builder.CreateTokenAsync(_bootstrap, "reader", "read");
        var deployer = await builder.CreateTokenAsync(_bootstrap, "deployer", "deploy");
        var gone = await builder.CreateTokenAsync(_bootstrap, "gone", "admin");
        using (var admin = builder.Client(_bootstrap))
        {
            Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/tokens/{gone.Id}")).StatusCode);
        }

        using (var deploy = builder.Client(deployer.Secret))
        {
            Assert.Equal(HttpStatusCode.NotFound, (await deploy.PostAsync("/functions/nope/rollback", null)).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await deploy.DeleteAsync("/functions/nope")).StatusCode);
            // Plain reads, allowed: not control-plane actions.
            Assert.Equal(HttpStatusCode.OK, (await deploy.GetAsync("/functions")).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await deploy.GetAsync("/functions/nope")).StatusCode);
        }

        using (var read = builder.Client(reader.Secret))
        {
            Assert.Equal(HttpStatusCode.Forbidden, (await read.DeleteAsync("/tokens/tok-nope")).StatusCode);
        }

        Assert.Equal(HttpStatusCode.Unauthorized, (await builder.Client().PostAsync("/deployments", Json("{}"))).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await builder.Client(gone.Secret).GetAsync("/functions")).StatusCode);
        // eserveless's CLI sends no token; from loopback it is let through, and recorded as what it is.
        Assert.Equal(HttpStatusCode.BadRequest, (await builder.Client().PostAsync("/api/projects", Json("""{"repository": "ftp://nope"}"""))).StatusCode);

        var entries = await ReadAuditAsync(builder, "?limit=1000");

        Assert.Equal(
        [
            "POST /api/projects 400 failed",
            "GET /functions 401 denied",
            "POST /deployments 401 denied",
            "DELETE /tokens/{id} 403 denied",
            "DELETE /functions/{name} 404 failed",
            "POST /functions/{name}/rollback 404 failed",
            "DELETE /tokens/{id} 204 succeeded",
            "POST /tokens 201 succeeded",
            "POST /tokens 201 succeeded",
            "POST /tokens 201 succeeded",
        ], entries.Select(e => $"{Text(e, "action")} {e.GetProperty("status").GetInt32()} {Text(e, "outcome")}"));
        Assert.All(entries, e => Assert.Equal("127.0.0.1", Text(e, "source")));
        Assert.True(entries.Zip(entries.Skip(1)).All(p => p.First.GetProperty("id").GetInt64() > p.Second.GetProperty("id").GetInt64()), "newest first");

        Assert.Equal(("loopback eserveless", null, null, null), Who(entries[0]));
        Assert.Equal(("gone", gone.Id, null, "revoked token"), Who(entries[1]));
        Assert.Equal(("anonymous", null, null, "no token"), Who(entries[2]));
        Assert.Equal(("reader", reader.Id, "tok-nope", "read scope"), Who(entries[3]));
        Assert.Equal(("deployer", deployer.Id, "nope", null), Who(entries[4]));
        Assert.Equal(("deployer", deployer.Id, "nope", null), Who(entries[5]));
        Assert.Equal(("bootstrap", bootstrapId, gone.Id, null), Who(entries[6]));
        // A create's target is the id it made, from its Location.
        Assert.Equal(("bootstrap", bootstrapId, gone.Id, null), Who(entries[7]));
        Assert.Equal(("bootstrap", bootstrapId, reader.Id, null), Who(entries[9]));
    }

    [Fact]
    public async Task AKeyMadeOnAFunction_TargetsTheFunctionAndTheKey_AsItsRevocationDoes()
    {
        var store = await ((IStoreDatabase)_database).OpenStoreAsync();
        var deployment = await store.CreateDeploymentAsync("https://example.test/shop.git", null);
        await store.ReserveVersionsAsync(deployment.Id, deployment.Repository,
            [KeyValuePair.Create("hello", new Core.Model.FunctionConfig { Runtime = "node", HandlerFile = "index.js", HandlerExport = "hello" })],
            (function, version) => $"registry.test/{function}:v{version}");
        await store.CompleteDeploymentAsync(deployment.Id, succeeded: true, "c1", null, "");
        await using var builder = await StartAsync();
        using var admin = builder.Client(_bootstrap);

        using var created = await admin.PostAsJsonAsync("/functions/hello/keys", new { name = "shop" });
        var key = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString();
        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/functions/hello/keys/{key}")).StatusCode);

        var entries = await ReadAuditAsync(builder, "");
        Assert.Equal(["DELETE /functions/{name}/keys/{id}", "POST /functions/{name}/keys"], entries.Select(e => Text(e, "action")));
        Assert.All(entries, e => Assert.Equal($"hello/{key}", Text(e, "target")));
    }

    [Fact]
    public async Task AuditEndpoint_NeedsAdmin_ItsDenialIsRecorded_AndItPages()
    {
        await using var builder = await StartAsync();
        var reader = await builder.CreateTokenAsync(_bootstrap, "reader", "read");
        var deployer = await builder.CreateTokenAsync(_bootstrap, "deployer", "deploy");
        var admin = await builder.CreateTokenAsync(_bootstrap, "ops", "admin");

        Assert.Equal(HttpStatusCode.Forbidden, (await builder.Client(reader.Secret).GetAsync("/audit")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await builder.Client(deployer.Secret).GetAsync("/audit")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await builder.Client().GetAsync("/audit")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await builder.Client(admin.Secret).GetAsync("/audit")).StatusCode);

        var entries = await ReadAuditAsync(builder, "");
        Assert.Equal(["anonymous", "deployer", "reader", "bootstrap", "bootstrap", "bootstrap"], entries.Select(e => Text(e, "actor")));
        Assert.All(entries.Take(3), e => Assert.Equal("GET /audit", Text(e, "action")));
        Assert.Equal("deploy scope", Text(entries[1], "detail"));

        using var client = builder.Client(_bootstrap);
        var first = await client.GetFromJsonAsync<JsonElement>("/audit?limit=4");
        Assert.Equal(4, first.GetProperty("entries").GetArrayLength());
        var next = first.GetProperty("nextBefore").GetInt64();
        Assert.Equal(first.GetProperty("entries")[3].GetProperty("id").GetInt64(), next);
        var last = await client.GetFromJsonAsync<JsonElement>($"/audit?limit=4&before={next}");
        Assert.Equal(2, last.GetProperty("entries").GetArrayLength());
        Assert.False(last.TryGetProperty("nextBefore", out _));
        var future = Uri.EscapeDataString(DateTimeOffset.UtcNow.AddMinutes(5).ToString("O", System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(0, (await client.GetFromJsonAsync<JsonElement>($"/audit?since={future}")).GetProperty("entries").GetArrayLength());

        foreach (var (query, field) in new[] { ("limit=0", "limit"), ("limit=1001", "limit"), ("limit=x", "limit"), ("since=yesterday", "since"), ("before=-1", "before") })
        {
            using var bad = await client.GetAsync($"/audit?{query}");
            Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
            Assert.Equal(field, (await bad.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetProperty("field").GetString());
        }
    }

    [Fact]
    public async Task SecretMarkers_InBodiesQueryStringsOrHeaders_NeverReachTheAuditLog()
    {
        await using var builder = await StartAsync();
        var marker = "eps_secret_marker_" + Guid.NewGuid().ToString("N");
        using var admin = builder.Client(_bootstrap);
        admin.DefaultRequestHeaders.Add("X-Epsilon-Key", marker);

        // What the secrets endpoint will carry: a value in a PUT's body (no such endpoint here; recorded all the same).
        await admin.PutAsync("/functions/nope/secrets/API_KEY", Json($$"""{"value": "{{marker}}"}"""));
        await admin.PostAsync($"/tokens?secret={marker}", Json($$"""{"name": "{{marker}}", "scope": "read"}"""));
        await admin.PostAsync($"/functions/nope/rollback?token={marker}", Json($$"""{"version": 1, "note": "{{marker}}"}"""));
        await admin.PostAsync($"/deployments?wait={marker}", Json($$"""{"repository": "https://example.test/{{marker}}.git"}"""));
        await builder.Client(marker).PostAsync("/deployments", Json("{}"));

        var raw = await admin.GetStringAsync("/audit?limit=1000");
        Assert.Equal(5, JsonDocument.Parse(raw).RootElement.GetProperty("entries").GetArrayLength());
        Assert.DoesNotContain(marker, raw, StringComparison.Ordinal);
        Assert.DoesNotContain(TokenSecret.Hash(marker), raw, StringComparison.Ordinal);
        Assert.DoesNotContain(_bootstrap, raw, StringComparison.Ordinal);
        // And not in the table itself, whatever the API shows of it.
        Assert.Equal(0, await _database.QueryScalarAsync<long>(
            "SELECT COUNT(*) FROM audit_log WHERE instr(coalesce(actor, '') || coalesce(action, '') || coalesce(target, '') || coalesce(detail, ''), $m) > 0",
            ("$m", marker)));
    }

    [Fact]
    public async Task AFailedAuditWrite_IsLogged_AndTheActionStillAnswersAsItDid()
    {
        await using var builder = await StartAsync();
        await _database.ExecuteAsync("DROP TABLE audit_log");

        using var created = await builder.Client(_bootstrap).PostAsJsonAsync("/tokens", new { name = "ci", scope = "read" });

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Contains(builder.Logs.Lines, l => l.Contains("Could not record 'POST /tokens'", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Retention_DeletesOlderEntriesAtStart_AndMustBeAtLeastADay()
    {
        var audit = (IAuditStore)await ((IStoreDatabase)_database).OpenStoreAsync();
        var now = DateTimeOffset.UtcNow;
        await audit.AppendAuditAsync(new AuditEntry { At = now.AddDays(-31), Actor = "old", Action = "POST /tokens", Status = 201, Outcome = AuditOutcome.Succeeded });
        await audit.AppendAuditAsync(new AuditEntry { At = now.AddDays(-29), Actor = "kept", Action = "POST /tokens", Status = 201, Outcome = AuditOutcome.Succeeded });

        await using (var builder = await StartAsync("--Epsilon:Builder:AuditRetention=30.00:00:00"))
        {
            var deadline = DateTime.UtcNow.AddSeconds(30);
            while ((await ReadAuditAsync(builder, "")).Any(e => Text(e, "actor") == "old") && DateTime.UtcNow < deadline)
            {
                await Task.Delay(100);
            }

            Assert.Equal(["kept"], (await ReadAuditAsync(builder, "")).Select(e => Text(e, "actor")));
        }

        var error = await Assert.ThrowsAnyAsync<Exception>(() => StartAsync("--Epsilon:Builder:AuditRetention=01:00:00"));
        Assert.Contains("AuditRetention", error.Message, StringComparison.Ordinal);
    }

    private Task<RunningBuilder> StartAsync(params string[] arguments) =>
        RunningBuilder.StartAsync(_database.Root, _bootstrap, [$"--Epsilon:Store:Path={_database.DatabasePath}", .. arguments]);

    private async Task<List<JsonElement>> ReadAuditAsync(RunningBuilder builder, string query)
    {
        using var client = builder.Client(_bootstrap);
        var page = await client.GetFromJsonAsync<JsonElement>("/audit" + query);
        return [.. page.GetProperty("entries").EnumerateArray()];
    }

    private async Task<string> BootstrapIdAsync(RunningBuilder builder)
    {
        using var client = builder.Client(_bootstrap);
        var tokens = await client.GetFromJsonAsync<JsonElement>("/tokens");
        return Text(tokens.EnumerateArray().Single(t => Text(t, "name") == "bootstrap"), "id")!;
    }

    private static (string? Actor, string? ActorId, string? Target, string? Detail) Who(JsonElement entry) =>
        (Text(entry, "actor"), Text(entry, "actorId"), Text(entry, "target"), Text(entry, "detail"));

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    public void Dispose() => _database.Dispose();
}
