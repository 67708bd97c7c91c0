using Epsilon.Gateway.Functions;
using Epsilon.Gateway.Pooling;

namespace Epsilon.Gateway.Fleet;

/// <summary>Saturation as this gateway knows it: its own from its pools and capacity, its peers' from their latest word.</summary>
internal sealed class FleetSaturation(FleetMembership membership, FunctionPools pools, FunctionTableProvider table, SaturationHints hints)
    : ISaturationSignals
{
    public bool IsSaturated(string gatewayId, string function)
    {
        if (gatewayId != membership.SelfId)
        {
            return hints.IsSaturated(gatewayId, function);
        }

        if (pools.FindLive(function) is { } pool)
        {
            return pool.IsSaturated;
        }

        // No container of it here yet: saturated only if the gateway has no room for one.
        return table.Current.Live.TryGetValue(function, out var live) && !pools.Budget.HasRoom(live.Config.MemoryBytes);
    }
}
