using System.Text.Json;
using Epsilon.Gateway.Fleet;
using Epsilon.Gateway.Invocation;
using Epsilon.Gateway.Pooling;
using Microsoft.Extensions.Options;

namespace Epsilon.Gateway;

/// <summary>
/// The gateway's routes: its own health and metrics under <c>/_epsilon</c>, every function under <c>/{function}</c> (an
/// alias or version under <c>/{function}@{alias|vN}</c>, and by Host under <see cref="GatewayOptions.BaseDomain"/>), and
/// eserveless's <c>/invoke/{project}/{function}</c> for repositories deployed through its API.
/// </summary>
internal static class GatewayApi
{
    public static IEndpointRouteBuilder MapGatewayApi(this IEndpointRouteBuilder endpoints)
    {
        var handler = endpoints.ServiceProvider.GetRequiredService<InvocationHandler>();
        // A draining gateway fails its check, so the balancer stops sending before it stops listening.
        endpoints.MapGet("/_epsilon/health", (FleetMembership membership) => membership.Draining
            ? Results.Text("draining", statusCode: StatusCodes.Status503ServiceUnavailable)
            : Results.Text("ok"));
        endpoints.MapGet("/_epsilon/metrics", WriteMetricsAsync);
        endpoints.MapGet("/_epsilon/fleet", (FleetMembership membership) => TypedResults.Json(new FleetStatus(
            membership.SelfId, membership.Draining, membership.ServedRevision, membership.View.Peers.Select(p => p.Id).ToList()),
            GatewayJsonContext.Default.FleetStatus));
        // Host routes first: under the base domain the whole path, /_epsilon/ included, is the function's own origin.
        if (endpoints.ServiceProvider.GetRequiredService<IOptions<GatewayOptions>>().Value.BaseDomain is { Length: > 0 } baseDomain)
        {
            endpoints.Map("/{**rest}", handler.InvokeByHostAsync).RequireHost($"*.{baseDomain}").WithOrder(-1);
        }

        endpoints.Map("/invoke/{project}/{function}", handler.InvokeAsync);
        endpoints.Map("/invoke/{project}/{function}/{**rest}", handler.InvokeAsync);
        endpoints.Map("/{function}", handler.InvokeAsync);
        endpoints.Map("/{function}/{**rest}", handler.InvokeAsync);
        // What no route takes (an empty first segment) gets the platform's JSON error, not Kestrel's empty 404.
        endpoints.MapFallback("/{**path}", handler.InvokeNothingAsync);
        return endpoints;
    }

    private static async Task WriteMetricsAsync(HttpContext context, GatewayMetrics metrics, FunctionPools pools)
    {
        context.Response.ContentType = "application/json";
        await using var writer = new Utf8JsonWriter(context.Response.Body);
        writer.WriteStartObject();
        writer.WriteStartObject("containers");
        foreach (var (state, count) in pools.CountByState())
        {
            writer.WriteNumber(state.ToString().ToLowerInvariant(), count);
        }

        writer.WriteEndObject();
        writer.WriteStartObject("functions");
        foreach (var (function, totals) in metrics.Snapshot().OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            writer.WriteStartObject(function);
            writer.WriteNumber("invocations", Interlocked.Read(ref totals.Invocations));
            writer.WriteNumber("errors", Interlocked.Read(ref totals.Errors));
            writer.WriteNumber("coldStarts", Interlocked.Read(ref totals.ColdStarts));
            writer.WriteNumber("rejections", Interlocked.Read(ref totals.Rejections));
            writer.WriteNumber("forwards", Interlocked.Read(ref totals.Forwards));
            writer.WriteNumber("spills", Interlocked.Read(ref totals.Spills));
            writer.WriteEndObject();
        }

        writer.WriteEndObject();
        writer.WriteEndObject();
        await writer.FlushAsync(context.RequestAborted);
    }
}
