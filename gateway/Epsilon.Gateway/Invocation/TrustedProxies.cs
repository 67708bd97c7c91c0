using System.Net;
using IPNetwork = System.Net.IPNetwork;
using Microsoft.AspNetCore.HttpOverrides;

namespace Epsilon.Gateway.Invocation;

/// <summary>
/// <see cref="GatewayOptions.TrustedProxies"/> for ASP.NET's forwarded-headers middleware: only a call whose connection
/// comes from one of them has its <c>X-Forwarded-*</c> believed. The middleware's own default (loopback) is dropped, so
/// nothing is trusted unless configured.
/// </summary>
internal static class TrustedProxies
{
    /// <summary>Parses an address (<c>10.0.0.5</c>) or a CIDR network (<c>10.0.0.0/16</c>).</summary>
    public static bool TryParse(string value, out IPNetwork network)
    {
        network = default;
        if (string.IsNullOrWhiteSpace(value))
        {
            return false;
        }

        if (value.Contains('/'))
        {
            return IPNetwork.TryParse(value.Trim(), out network);
        }

        if (!IPAddress.TryParse(value.Trim(), out var address))
        {
            return false;
        }

        network = new IPNetwork(address, address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128);
        return true;
    }

    /// <summary>
    /// Adds the forwarded-headers middleware when <paramref name="proxies"/> names any: the middleware believes everyone when
    /// it knows no proxy, so without one it is left out and the connection's own address, scheme and host are the caller's.
    /// </summary>
    public static void Use(IApplicationBuilder app, IEnumerable<string> proxies)
    {
        if (proxies.Any(p => TryParse(p, out _)))
        {
            app.UseForwardedHeaders();
        }
    }

    /// <summary>Sets <paramref name="forwarded"/> to believe X-Forwarded-For, -Proto and -Host from <paramref name="proxies"/> alone.</summary>
    public static void Configure(ForwardedHeadersOptions forwarded, IEnumerable<string> proxies)
    {
        forwarded.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto | ForwardedHeaders.XForwardedHost;
        forwarded.KnownProxies.Clear();
        forwarded.KnownIPNetworks.Clear();
        foreach (var proxy in proxies)
        {
            if (TryParse(proxy, out var network))
            {
                forwarded.KnownIPNetworks.Add(network);
            }
        }

        // Each hop believes the one entry its trusted sender added: the balancer's view of the client, or the previous
        // gateway's (which set the header afresh, see CallerHeaders).
        forwarded.ForwardLimit = 1;
        forwarded.RequireHeaderSymmetry = false;
    }
}
