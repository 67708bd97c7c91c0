using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Epsilon.EndToEnd.Tests.Infrastructure;

namespace Epsilon.EndToEnd.Tests;

/// <summary>
/// Callers and functions that misbehave, through the real gateway: forged forwarding headers, bodies past the limit,
/// request ids in any form, a handler that drops its connection, a function that runs out of memory, one that exits at
/// start. None may make the gateway retire a healthy container or show the caller what it should not.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class HostileCallerTests(PlatformFixture platform)
{
    private const string Manifest = """
        runtime: node
        functions:
          hostile-lambda:
            handler: lambda.handler
          hostile-drop:
            handler: drop.js:drop
            maxContainers: 1
          hostile-hog:
            handler: hog.js:hog
            memory: 64Mi
            maxContainers: 1
          hostile-chatty:
            handler: chatty.js:chatty
          hostile-dies:
            handler: dies.js:dies
            env:
              DIE_AT_START: "yes"
        """;

    private const string Lambda = """
        let calls = 0;
        exports.handler = async (event) => {
          calls += 1;
          return {
            statusCode: 200,
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({
              calls,
              sourceIp: event.requestContext.http.sourceIp,
              forwardedFor: event.headers['x-forwarded-for'] ?? null,
              forwardedHost: event.headers['x-forwarded-host'] ?? null,
              forwardedProto: event.headers['x-forwarded-proto'] ?? null,
              forwarded: event.headers['forwarded'] ?? null,
              requestId: event.headers['x-epsilon-request-id'] ?? null,
            }),
          };
        };
        """;

    private const string Drop = """
        let calls = 0;
        module.exports.drop = {
          definition: async (req, res) => {
            calls += 1;
            if (req.path === '/drop') { req.socket.destroy(); return; }
            res.json({ calls, pid: process.pid });
          },
        };
        """;

    private const string Hog = """
        let calls = 0;
        const held = [];
        module.exports.hog = {
          definition: async (req, res) => {
            calls += 1;
            if (req.path === '/eat') {
              // Off the V8 heap, filled so the pages are real: only the container's memory limit stops it.
              for (;;) { held.push(Buffer.alloc(8 * 1024 * 1024, 1)); }
            }
            res.json({ calls });
          },
        };
        """;

    private const string Chatty = """
        module.exports.chatty = {
          definition: async (req, res) => {
            const line = 'x'.repeat(1023);
            for (let i = 0; i < Number(req.query.kb || 0); i++) { console.log(line); }
            res.send('printed');
          },
        };
        """;

    // Exits when the gateway starts it, not at the builder's load check: the manifest's env is given at run time only.
    private const string Dies = """
        if (process.env.DIE_AT_START) {
          console.log('PRIVATE-START-OUTPUT-7f3a');
          process.exit(4);
        }
        module.exports.dies = { definition: async (req, res) => res.send('never') };
        """;

    private static Task? s_deployed;

    private Task DeployAsync() => s_deployed ??= DeployOnceAsync();

    private async Task DeployOnceAsync()
    {
        using var repository = TestRepository.Create(new Dictionary<string, string>
        {
            ["epsilon.yaml"] = Manifest,
            ["lambda.js"] = Lambda,
            ["drop.js"] = Drop,
            ["hog.js"] = Hog,
            ["dies.js"] = Dies,
            ["chatty.js"] = Chatty,
        });
        await platform.DeployOkAsync(repository.Path);
    }

    [Fact]
    public async Task ForwardingHeaders_TheCallerSends_AreReplacedByTheGateways()
    {
        await DeployAsync();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/hostile-lambda/");
        request.Headers.TryAddWithoutValidation("X-Forwarded-For", "6.6.6.6");
        request.Headers.TryAddWithoutValidation("X-Forwarded-Host", "evil.example");
        request.Headers.TryAddWithoutValidation("X-Forwarded-Proto", "https");
        request.Headers.TryAddWithoutValidation("Forwarded", "for=6.6.6.6;host=evil.example");

        using var response = await platform.Gateway.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("127.0.0.1", body.GetProperty("sourceIp").GetString());
        Assert.Equal("127.0.0.1", body.GetProperty("forwardedFor").GetString());
        Assert.Equal(platform.Gateway.BaseAddress!.Authority, body.GetProperty("forwardedHost").GetString());
        Assert.Equal("http", body.GetProperty("forwardedProto").GetString());
        Assert.Equal(JsonValueKind.Null, body.GetProperty("forwarded").ValueKind);
    }

    [Fact]
    public async Task Body_OverTheLimit_Is413FromTheGateway_WithOrWithoutALength_AndTheContainerServesOn()
    {
        await DeployAsync();
        var before = await CallsAsync("/hostile-lambda/");
        var containers = await ContainerIdsAsync("hostile-lambda");
        var body = new byte[7 * 1024 * 1024];

        // With a length: refused from the headers. (Expect: 100-continue, so the client hears the 413 before sending 7 MB
        // into a connection the gateway is closing.)
        using var request = new HttpRequestMessage(HttpMethod.Post, "/hostile-lambda/") { Content = new ByteArrayContent(body) };
        request.Headers.ExpectContinue = true;
        using var sized = await platform.Gateway.SendAsync(request);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, sized.StatusCode);
        var error = await sized.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("PayloadTooLarge", error.GetProperty("error").GetProperty("code").GetString());

        // Without a length (chunked): refused by Kestrel's limit while read, mid-forward.
        var chunked = await PostChunkedAsync("/hostile-lambda/", body.Length);
        Assert.StartsWith("HTTP/1.1 413 ", chunked);
        Assert.Contains("PayloadTooLarge", chunked);

        Assert.Equal(before + 1, await CallsAsync("/hostile-lambda/"));
        Assert.Equal(containers, await ContainerIdsAsync("hostile-lambda"));
    }

    [Theory]
    [InlineData("2f9c1d6e-5b7a-4c3e-9d8f-0a1b2c3d4e5f", true)]
    [InlineData("trace_0123456789abcdef", true)]
    [InlineData("../../etc/passwd", false)]
    [InlineData("id with spaces", false)]
    [InlineData("<script>alert(1)</script>", false)]
    [InlineData("0123456789012345678901234567890123456789012345678901234567890123456789", false)]
    public async Task RequestId_FromTheCaller_IsKeptOnlyInTheStrictForm(string id, bool kept)
    {
        await DeployAsync();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/hostile-lambda/");
        request.Headers.TryAddWithoutValidation("X-Epsilon-Request-Id", id);

        using var response = await platform.Gateway.SendAsync(request);

        var answered = response.Headers.GetValues("X-Epsilon-Request-Id").Single();
        var seen = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("requestId").GetString();
        Assert.Equal(answered, seen);
        if (kept)
        {
            Assert.Equal(id, answered);
        }
        else
        {
            Assert.NotEqual(id, answered);
            Assert.Matches("^[0-9a-f]{32}$", answered);
        }
    }

    [Fact]
    public async Task Handler_DroppingItsConnection_Is502FunctionCallFailed_AndTheContainerServesOn()
    {
        await DeployAsync();
        var before = await platform.Gateway.GetFromJsonAsync<JsonElement>("/hostile-drop/");
        var containers = await ContainerIdsAsync("hostile-drop");

        using var dropped = await platform.Gateway.GetAsync("/hostile-drop/drop");

        Assert.Equal(HttpStatusCode.BadGateway, dropped.StatusCode);
        var error = await dropped.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("FunctionCallFailed", error.GetProperty("error").GetProperty("code").GetString());
        var after = await platform.Gateway.GetFromJsonAsync<JsonElement>("/hostile-drop/");
        Assert.Equal(before.GetProperty("pid").GetInt32(), after.GetProperty("pid").GetInt32());
        // (Its count may have moved by more than two: HttpClient resends a bodyless call whose reused connection closed unanswered.)
        Assert.True(after.GetProperty("calls").GetInt32() > before.GetProperty("calls").GetInt32());
        Assert.Equal(containers, await ContainerIdsAsync("hostile-drop"));
    }

    [Fact]
    public async Task Function_RunningOutOfMemory_Is502FunctionOutOfMemory_NamingItsLimit_AndIsReplaced()
    {
        await DeployAsync();
        Assert.Equal(1, await CallsAsync("/hostile-hog/"));

        using var killed = await platform.Gateway.GetAsync("/hostile-hog/eat");

        Assert.Equal(HttpStatusCode.BadGateway, killed.StatusCode);
        var error = (await killed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error");
        Assert.Equal("FunctionOutOfMemory", error.GetProperty("code").GetString());
        Assert.Contains("64 MiB", error.GetProperty("message").GetString());
        // A new container: its count starts again.
        Assert.Equal(1, await CallsAsync("/hostile-hog/"));
    }

    [Fact]
    public async Task Function_ExitingAtStart_IsColdStartFailed_WithItsExitCode_AndNoneOfItsOutput()
    {
        await DeployAsync();

        using var response = await platform.Gateway.GetAsync("/hostile-dies/");

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        var text = await response.Content.ReadAsStringAsync();
        var error = JsonDocument.Parse(text).RootElement.GetProperty("error");
        Assert.Equal("ColdStartFailed", error.GetProperty("code").GetString());
        Assert.Contains("exit code 4", error.GetProperty("message").GetString());
        Assert.DoesNotContain("PRIVATE-START-OUTPUT", text);
        // Removed in the background once its start failed.
        for (var i = 0; i < 100 && (await ContainerIdsAsync("hostile-dies")).Length > 0; i++)
        {
            await Task.Delay(100);
        }

        Assert.Empty(await ContainerIdsAsync("hostile-dies"));
    }

    [Fact]
    public async Task Function_PrintingInALoop_HasItsLogRotatedAtTheConfiguredSizeAndCount()
    {
        await DeployAsync();
        var id = "e2e-logs-" + Guid.NewGuid().ToString("N")[..6];
        await using var gateway = Epsilon.Gateway.GatewayApplication.Build(
            [.. platform.GatewayArguments(id, removeOnStop: true), "--Epsilon:Gateway:ContainerLogMaxSize=100k", "--Epsilon:Gateway:ContainerLogMaxFiles=2"]);
        await gateway.StartAsync();
        try
        {
            using var client = PlatformFixture.ClientOf(gateway);
            using var response = await client.GetAsync("/hostile-chatty/?kb=4096");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);

            var container = Assert.Single(await platform.ContainersAsync(id, "hostile-chatty"));
            var inspect = await platform.Docker.Containers.InspectContainerAsync(container.ID);
            var logConfig = inspect.HostConfig?.LogConfig;
            Assert.NotNull(logConfig?.Config);
            Assert.Equal("json-file", logConfig.Type);
            Assert.Equal("100k", logConfig.Config["max-size"]);
            Assert.Equal("2", logConfig.Config["max-file"]);
            // 4 MiB printed; at most two files of 100 KiB (and a line's worth over) kept.
            var files = Directory.GetFiles(Path.GetDirectoryName(inspect.LogPath)!, Path.GetFileName(inspect.LogPath) + "*");
            var kept = files.Sum(f => new FileInfo(f).Length);
            Assert.InRange(files.Length, 1, 2);
            Assert.InRange(kept, 1, (2 * 100 * 1024) + (16 * 1024));
        }
        finally
        {
            await gateway.StopAsync();
        }
    }

    /// <summary>
    /// Sends <paramref name="length"/> bytes as a chunked POST on a raw connection and returns what the gateway answered,
    /// read while sending: the gateway answers and closes before the body ends, which an HttpClient reports as a broken pipe.
    /// </summary>
    private async Task<string> PostChunkedAsync(string path, int length)
    {
        var address = platform.Gateway.BaseAddress!;
        using var tcp = new System.Net.Sockets.TcpClient();
        await tcp.ConnectAsync(address.Host, address.Port);
        var stream = tcp.GetStream();
        var answer = RawHttp.ReadAnswerAsync(stream);
        try
        {
            await stream.WriteAsync(System.Text.Encoding.ASCII.GetBytes(
                $"POST {path} HTTP/1.1\r\nHost: {address.Authority}\r\nTransfer-Encoding: chunked\r\nContent-Type: application/octet-stream\r\n\r\n"));
            var chunk = new byte[64 * 1024];
            var header = System.Text.Encoding.ASCII.GetBytes($"{chunk.Length:x}\r\n");
            for (var sent = 0; sent < length && !answer.IsCompleted; sent += chunk.Length)
            {
                await stream.WriteAsync(header);
                await stream.WriteAsync(chunk);
                await stream.WriteAsync("\r\n"u8.ToArray());
            }

            await stream.WriteAsync("0\r\n\r\n"u8.ToArray());
        }
        catch (IOException)
        {
            // The gateway closed the connection after its answer.
        }

        return System.Text.Encoding.UTF8.GetString(await answer.WaitAsync(TimeSpan.FromSeconds(30)));
    }

    private async Task<int> CallsAsync(string path) =>
        (await platform.Gateway.GetFromJsonAsync<JsonElement>(path)).GetProperty("calls").GetInt32();

    private async Task<string[]> ContainerIdsAsync(string function) =>
        [.. (await platform.ContainersAsync(platform.GatewayId, function)).Select(c => c.ID).Order(StringComparer.Ordinal)];
}
