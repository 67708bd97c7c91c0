using System.Net;

namespace Epsilon.Builder.Auth;

/// <summary>The networks <see cref="BuilderAuthOptions.UnauthenticatedProjectSources"/> names, parsed once.</summary>
internal sealed class SourceAddressRule
{
    private readonly IReadOnlyList<IPNetwork> _networks;
    private readonly bool _loopback;

    private SourceAddressRule(IReadOnlyList<IPNetwork> networks, bool loopback)
    {
        _networks = networks;
        _loopback = loopback;
    }

    /// <summary>Parses the configured entries; on failure <paramref name="error"/> names the entry.</summary>
    public static bool TryParse(string[]? entries, out SourceAddressRule rule, out string? error)
    {
        rule = new SourceAddressRule([], loopback: entries is null);
        error = null;
        if (entries is null)
        {
            return true;
        }

        var networks = new List<IPNetwork>();
        foreach (var entry in entries.Select(e => e.Trim()).Where(e => e.Length > 0))
        {
            if (string.Equals(entry, "none", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            if (IPNetwork.TryParse(entry, out var network))
            {
                networks.Add(network);
            }
            else if (IPAddress.TryParse(entry, out var address))
            {
                networks.Add(new IPNetwork(address, address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128));
            }
            else
            {
                error = $"Epsilon:Builder:Auth:UnauthenticatedProjectSources entry '{entry}' is not an address or a network like 10.0.0.0/8.";
                return false;
            }
        }

        rule = new SourceAddressRule(networks, loopback: false);
        return true;
    }

    /// <summary>Whether a call from <paramref name="address"/> may go without a token.</summary>
    public bool Allows(IPAddress? address)
    {
        if (address is null)
        {
            return false;
        }

        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        return _loopback ? IPAddress.IsLoopback(address) : _networks.Any(n => n.Contains(address));
    }
}
