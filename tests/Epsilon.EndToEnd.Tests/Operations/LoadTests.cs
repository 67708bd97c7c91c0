using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json;
using Epsilon.Core.Docker;
using Epsilon.Core.Store;
using Epsilon.EndToEnd.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Epsilon.EndToEnd.Tests.Operations;

/// <summary>
/// Issue 14's load bar, on a platform of its own with the gateway's shipped defaults (queue, capacity, cold starts):
/// a thousand calls at once across twenty functions of every runtime, none warm, are each answered 200 with their own
/// echo or 429 with Retry-After, never 5xx, with at most 5% 429s; then every container goes after the idle timeout.
/// </summary>
[Collection(LoadCollection.Name)]
public sealed class LoadTests(ITestOutputHelper output)
{
    private const int Calls = 1000;
    private const int FunctionsPerRuntime = 5;
    private const double MaxRejectedShare = 0.05;

    /// <summary>Short, so the reaping is seen in seconds; the gateway looks every <see cref="ReapInterval"/>.</summary>
    private static readonly TimeSpan IdleTimeout = TimeSpan.FromSeconds(5);

    private static readonly TimeSpan ReapInterval = TimeSpan.FromSeconds(1);

    /// <summary>Each runtime's echo example and its handler: one repository per runtime, its functions sharing the handler.</summary>
    private static readonly (string Runtime, string Example, string Handler)[] Echoes =
    [
        ("node", "examples/node-echo", "index.js:echo"),
        ("python", "examples/python-echo", "handler.py:handler"),
        ("go", "examples/go-echo", ".:Echo"),
        ("dotnet", "examples/dotnet-echo", "Echo.csproj:Epsilon.Examples.Echo"),
    ];

    [Fact]
    public async Task AThousandCallsAtOnce_OnTwentyColdFunctionsOfEveryRuntime_Are200sOrFew429s_AndEveryContainerGoesWhenIdle()
    {
        await using var platform = await ProcessPlatform.CreateAsync(StoreProvider.Sqlite, new Dictionary<string, string>
        {
            ["Epsilon__Gateway__ReapInterval"] = ReapInterval.ToString("c", CultureInfo.InvariantCulture),
        });
        await platform.StartServicesAsync();
        var functions = new List<string>();
        foreach (var (runtime, example, handler) in Echoes)
        {
            var names = Enumerable.Range(1, FunctionsPerRuntime).Select(i => $"load-{runtime}-{i}").ToList();
            using var repository = TestRepository.FromDirectory(example);
            repository.Commit(new Dictionary<string, string>
            {
                ["epsilon.yaml"] = $"runtime: {runtime}\nfunctions:\n"
                    + string.Concat(names.Select(n => $"  {n}:\n    handler: {handler}\n    idleTimeout: {IdleTimeout.TotalSeconds:0}s\n")),
            }, "load");
            await platform.DeployOkAsync(repository.Path);
            functions.AddRange(names);
        }

        using var docker = DockerClientFactory.Create();
        Assert.Empty(await platform.ContainersAsync(docker));
        using var client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = Calls, UseCookies = false })
        {
            BaseAddress = new Uri(platform.GatewayUrl),
            Timeout = TimeSpan.FromMinutes(2),
        };

        var watch = Stopwatch.StartNew();
        var outcomes = await Task.WhenAll(Enumerable.Range(0, Calls).Select(i => CallAsync(client, functions[i % functions.Count], i)));
        var duration = watch.Elapsed;
        var atPeak = (await platform.ContainersAsync(docker)).Count;
        using var metrics = JsonDocument.Parse(await client.GetStringAsync("/_epsilon/metrics"));
        var coldStarts = metrics.RootElement.GetProperty("functions").EnumerateObject().Sum(f => f.Value.GetProperty("coldStarts").GetInt32());

        var ok = outcomes.Count(o => o.Status == HttpStatusCode.OK && o.Problem is null);
        var rejected = outcomes.Count(o => o.Status == HttpStatusCode.TooManyRequests && o.Problem is null);
        var serverErrors = outcomes.Count(o => (int?)o.Status >= 500);
        var problems = outcomes.Where(o => o.Problem is not null).Select(o => o.Problem!).ToList();
        var latencies = outcomes.Select(o => o.Latency.TotalSeconds).Order().ToList();
        output.WriteLine(FormattableString.Invariant(
            $"{Calls} calls on {functions.Count} functions in {duration.TotalSeconds:0.0} s: {ok} 200, {rejected} 429 ({100.0 * rejected / Calls:0.0}%), {serverErrors} 5xx, {problems.Count} wrong; {coldStarts} cold starts, {atPeak} containers after the burst; latency p50 {latencies[Calls / 2]:0.0} s, p99 {latencies[Calls * 99 / 100]:0.0} s, max {latencies[^1]:0.0} s"));
        Assert.True(problems.Count == 0, $"{problems.Count} call(s) answered neither their echo nor 429 with Retry-After ({serverErrors} 5xx), e.g.:\n"
            + string.Join('\n', problems.Take(10)) + "\n" + Tail(platform.GatewayOutput));
        Assert.True(rejected <= Calls * MaxRejectedShare, $"{rejected} of {Calls} calls got 429, more than {MaxRejectedShare:P0}:\n" + Tail(platform.GatewayOutput));

        // The function's idle timeout, the reaper's next pass, then the removals: every container of the gateway gone.
        var idle = Stopwatch.StartNew();
        var left = atPeak;
        while (idle.Elapsed < IdleTimeout + ReapInterval + TimeSpan.FromSeconds(30) && (left = (await platform.ContainersAsync(docker)).Count) > 0)
        {
            await Task.Delay(250);
        }

        output.WriteLine(FormattableString.Invariant($"{left} containers {idle.Elapsed.TotalSeconds:0.0} s after the burst (idle timeout {IdleTimeout.TotalSeconds:0} s)"));
        Assert.True(left == 0, $"{left} container(s) of the gateway remain {idle.Elapsed.TotalSeconds:0} s after the calls:\n" + Tail(platform.GatewayOutput));
    }

    /// <summary>One call, each to its own path with its own request id, so an echo of another call's request is caught.</summary>
    private static async Task<Outcome> CallAsync(HttpClient client, string function, int call)
    {
        var requestId = $"load-{call.ToString(CultureInfo.InvariantCulture)}";
        var path = $"/call/{call.ToString(CultureInfo.InvariantCulture)}";
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/{function}{path}");
        request.Headers.Add("X-Epsilon-Request-Id", requestId);
        var started = Stopwatch.GetTimestamp();
        try
        {
            using var response = await client.SendAsync(request);
            var body = await response.Content.ReadAsStringAsync();
            var what = $"{function}{path}: {(int)response.StatusCode} {body}";
            switch (response.StatusCode)
            {
                case HttpStatusCode.OK:
                    using (var echo = JsonDocument.Parse(body))
                    {
                        var answered = echo.RootElement;
                        return answered.GetProperty("path").GetString() == path && answered.GetProperty("requestId").GetString() == requestId
                            ? new Outcome(response.StatusCode, null, Stopwatch.GetElapsedTime(started))
                            : new Outcome(response.StatusCode, "not its echo: " + what, Stopwatch.GetElapsedTime(started));
                    }

                case HttpStatusCode.TooManyRequests:
                    return new Outcome(response.StatusCode, response.Headers.RetryAfter is null ? "no Retry-After: " + what : null, Stopwatch.GetElapsedTime(started));
                default:
                    return new Outcome(response.StatusCode, what, Stopwatch.GetElapsedTime(started));
            }
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or JsonException or KeyNotFoundException)
        {
            return new Outcome(null, $"{function}{path}: {ex.GetType().Name} {ex.Message}", Stopwatch.GetElapsedTime(started));
        }
    }

    private static string Tail(string text) => text.Length <= 4000 ? text : text[^4000..];

    /// <summary>How one call was answered: its status (null when it got no answer), what was wrong if anything, and when.</summary>
    private sealed record Outcome(HttpStatusCode? Status, string? Problem, TimeSpan Latency);
}
