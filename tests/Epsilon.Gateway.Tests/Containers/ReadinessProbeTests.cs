using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;

namespace Epsilon.Gateway.Containers;

/// <summary>The readiness probe against a real server playing a hostile wrapper.</summary>
public sealed class ReadinessProbeTests : IAsyncLifetime
{
    private static readonly TimeSpan s_fallback = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan s_max = TimeSpan.FromMinutes(15);

    private readonly ReadinessProbe _probe = new();
    private WebApplication _server = null!;
    private int _redirectTargetHits;

    private string Url(string path) => _server.Urls.First() + path;

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        _server = builder.Build();
        _server.MapGet("/ready", () => Results.Json(new { timeoutMs = 1234 }));
        _server.MapGet("/no-timeout", () => Results.Json(new { ready = true }));
        _server.MapGet("/huge-timeout", () => Results.Text("""{"timeoutMs": 9223372036854775807}""", "application/json"));
        _server.MapGet("/redirect", () => Results.Redirect("/target"));
        _server.MapGet("/target", () =>
        {
            Interlocked.Increment(ref _redirectTargetHits);
            return Results.Json(new { timeoutMs = 1 });
        });
        _server.MapGet("/huge", () => Results.Text(new string(' ', 1024 * 1024) + "{}", "application/json"));
        _server.MapGet("/huge-unannounced", async (HttpContext context) =>
        {
            // Chunked: no length to refuse it by; the probe must stop reading by itself.
            await context.Response.WriteAsync("{\"timeoutMs\": 5, \"pad\": \"");
            for (var i = 0; i < 1024; i++)
            {
                await context.Response.WriteAsync(new string('x', 1024));
            }

            await context.Response.WriteAsync("\"}");
        });
        _server.MapGet("/busy", () => Results.StatusCode(503));
        await _server.StartAsync();
    }

    [Fact]
    public async Task Ready_ReportingATimeout_GivesIt()
    {
        Assert.Equal(TimeSpan.FromMilliseconds(1234), await _probe.AskAsync(Url("/ready"), s_fallback, s_max, default));
    }

    [Fact]
    public async Task Ready_ReportingNoTimeout_GivesTheFallback()
    {
        Assert.Equal(s_fallback, await _probe.AskAsync(Url("/no-timeout"), s_fallback, s_max, default));
    }

    [Fact]
    public async Task Ready_ReportingAHugeTimeout_IsClampedToTheCeiling()
    {
        Assert.Equal(s_max, await _probe.AskAsync(Url("/huge-timeout"), s_fallback, s_max, default));
    }

    [Fact]
    public async Task Redirect_IsNotFollowed_AndIsNotReady()
    {
        Assert.Null(await _probe.AskAsync(Url("/redirect"), s_fallback, s_max, default));
        Assert.Equal(0, Volatile.Read(ref _redirectTargetHits));
    }

    [Theory]
    [InlineData("/huge")]
    [InlineData("/huge-unannounced")]
    public async Task Answer_LargerThan4KiB_FailsTheStart(string path)
    {
        var error = await Assert.ThrowsAsync<ColdStartException>(() => _probe.AskAsync(Url(path), s_fallback, s_max, default));
        Assert.Contains("4096 bytes", error.Message);
    }

    [Fact]
    public async Task NotListeningOrBusy_IsNotReadyYet()
    {
        Assert.Null(await _probe.AskAsync(Url("/busy"), s_fallback, s_max, default));
        Assert.Null(await _probe.AskAsync("http://127.0.0.1:1/ready", s_fallback, s_max, default));
    }

    [Theory]
    [InlineData(null, 30_000)]
    [InlineData(0L, 30_000)]
    [InlineData(-5L, 30_000)]
    [InlineData(2_000L, 2_000)]
    [InlineData(900_000L, 900_000)]
    [InlineData(900_001L, 900_000)]
    [InlineData(long.MaxValue, 900_000)]
    public void Clamp_KeepsEveryTimeoutWithinTheCeiling(long? reported, double expectedMs)
    {
        Assert.Equal(TimeSpan.FromMilliseconds(expectedMs), ReadinessProbe.Clamp(reported, s_fallback, s_max));
    }

    [Fact]
    public void Clamp_FallbackAboveTheCeiling_IsTheCeiling()
    {
        Assert.Equal(s_max, ReadinessProbe.Clamp(null, TimeSpan.FromDays(3), s_max));
    }

    public async Task DisposeAsync()
    {
        _probe.Dispose();
        await _server.StopAsync();
        await _server.DisposeAsync();
    }
}
