using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Docker.DotNet.Models;
using Epsilon.Core.Contracts;

namespace Epsilon.Core.Docker;

/// <summary>
/// The bridge names of the networks user code runs on (function containers, builds): <c>ep-*</c>, which the egress policy
/// of scripts/egress.sh matches. Linux allows 15 characters, so a network name too long for one is hashed.
/// </summary>
public static partial class EgressBridge
{
    /// <summary>Docker's network option naming the bridge interface.</summary>
    public const string NameOption = "com.docker.network.bridge.name";

    /// <summary>What every such bridge name starts with.</summary>
    public const string Prefix = "ep-";

    /// <summary><c>ep-epsilon</c> for <c>epsilon</c>; <c>ep-</c> and 12 hex digits of its hash for a longer name.</summary>
    public static string NameFor(string network)
    {
        ArgumentNullException.ThrowIfNull(network);
        return network.Length <= 12 && Short().IsMatch(network)
            ? Prefix + network
            : Prefix + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(network)))[..12];
    }

    /// <summary>
    /// A network for user code (function containers, builds): a bridge named for the egress policy, with traffic between
    /// its containers off (the host still reaches them), marked as Epsilon's.
    /// </summary>
    public static NetworksCreateParameters NetworkParameters(string network) => new()
    {
        Name = network,
        Driver = "bridge",
        Labels = new Dictionary<string, string> { [ContainerLabels.Managed] = ContainerLabels.ManagedValue },
        Options = new Dictionary<string, string>
        {
            ["com.docker.network.bridge.enable_icc"] = "false",
            [NameOption] = NameFor(network),
        },
    };

    /// <summary>Whether a network with these options has an <c>ep-*</c> bridge, which the egress policy holds.</summary>
    public static bool IsHeld(IDictionary<string, string>? networkOptions) =>
        networkOptions is not null && networkOptions.TryGetValue(NameOption, out var bridge) && bridge.StartsWith(Prefix, StringComparison.Ordinal);

    [GeneratedRegex(@"^[a-z0-9][a-z0-9_.-]*\z", RegexOptions.CultureInvariant)]
    private static partial Regex Short();
}
