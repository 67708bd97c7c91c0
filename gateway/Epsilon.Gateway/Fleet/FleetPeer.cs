using System.IO.Hashing;
using System.Text;

namespace Epsilon.Gateway.Fleet;

/// <summary>A live, active gateway of the fleet as routing sees it.</summary>
internal sealed class FleetPeer
{
    public FleetPeer(string id, Uri address, int maxContainers)
    {
        Id = id;
        Address = address;
        MaxContainers = maxContainers;
        Seed = unchecked((long)XxHash3.HashToUInt64(Encoding.UTF8.GetBytes(id)));
    }

    /// <summary>The gateway's id.</summary>
    public string Id { get; }

    /// <summary>Where calls are forwarded to it.</summary>
    public Uri Address { get; }

    /// <summary>Its capacity in containers.</summary>
    public int MaxContainers { get; }

    /// <summary>The hash seed of its id, computed once: a function's score for it is the function hashed with this seed.</summary>
    internal long Seed { get; }

    public override string ToString() => Id;
}
