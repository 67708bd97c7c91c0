using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.DependencyInjection;

namespace Epsilon.Gateway.Invocation;

/// <summary>
/// ASP.NET's forwarded-headers middleware as the gateway configures it, on a real server called from loopback: a caller's
/// X-Forwarded-* is believed only from a configured proxy, and what goes on is set afresh.
/// </summary>
public sealed class TrustedProxiesTests
{
    [Theory]
    [InlineData("10.0.0.5", true)]
    [InlineData("10.0.0.0/16", true)]
    [InlineData("::1", true)]
    [InlineData("fd00::/8", true)]
    [InlineData("10.0.0.0/33", false)]
    [InlineData("gateway.internal", false)]
    [InlineData("", false)]
    public void TryParse_TakesAddressesAndNetworks(string value, bool valid) => Assert.Equal(valid, TrustedProxies.TryParse(value, out _));

    [Theory]
    [InlineData(new string[0], "127.0.0.1", "127.0.0.1:{port}", "http")]
    [InlineData(new[] { "192.0.2.1" }, "127.0.0.1", "127.0.0.1:{port}", "http")]
    [InlineData(new[] { "127.0.0.1" }, "6.6.6.6", "shop.example", "https")]
    [InlineData(new[] { "127.0.0.0/8" }, "6.6.6.6", "shop.example", "https")]
    public async Task ForwardedHeaders_AreBelievedOnlyFromATrustedProxy(string[] proxies, string callerAddress, string host, string scheme)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Services.Configure<ForwardedHeadersOptions>(options => TrustedProxies.Configure(options, proxies));
        await using var app = builder.Build();
        TrustedProxies.Use(app, proxies);
        app.MapGet("/", (HttpContext context) =>
        {
            // What the gateway would send on: its own account of the caller.
            using var onward = new HttpRequestMessage();
            onward.Headers.TryAddWithoutValidation("X-Forwarded-For", "9.9.9.9");
            CallerHeaders.Set(context, onward, "/fn");
            return Results.Json(new
            {
                forwardedFor = string.Join(",", onward.Headers.GetValues("X-Forwarded-For")),
                forwardedHost = string.Join(",", onward.Headers.GetValues("X-Forwarded-Host")),
                forwardedProto = string.Join(",", onward.Headers.GetValues("X-Forwarded-Proto")),
                original = onward.Headers.Contains("X-Original-For") || onward.Headers.Contains("Forwarded"),
            });
        });
        await app.StartAsync();
        var url = app.Urls.First();
        using var client = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.TryAddWithoutValidation("X-Forwarded-For", "6.6.6.6");
        request.Headers.TryAddWithoutValidation("X-Forwarded-Host", "shop.example");
        request.Headers.TryAddWithoutValidation("X-Forwarded-Proto", "https");
        request.Headers.TryAddWithoutValidation("Forwarded", "for=6.6.6.6");

        using var response = await client.SendAsync(request);
        var seen = await response.Content.ReadFromJsonAsync<Seen>();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(callerAddress, seen!.ForwardedFor);
        Assert.Equal(host.Replace("{port}", new Uri(url).Port.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal),
            seen.ForwardedHost);
        Assert.Equal(scheme, seen.ForwardedProto);
        Assert.False(seen.Original);
        await app.StopAsync();
    }

    private sealed record Seen(string ForwardedFor, string ForwardedHost, string ForwardedProto, bool Original);
}
