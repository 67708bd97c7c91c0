using Epsilon.Gateway.Fleet;

namespace Epsilon.Simulation;

/// <summary>
/// Some gateways leave at once (chosen with the seed): which functions get a new home? With rendezvous hashing only
/// those whose home left, each to the next gateway of its ranking still there: about the share that left, no more.
/// </summary>
internal static class LeaveExperiment
{
    public static LeaveResult Run(SimulationOptions options)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(options.LeavingGateways, options.Gateways);
        var peers = FleetSimulation.Peers(options);
        var leaving = peers.ToArray();
        new Random(options.Seed).Shuffle(leaving);
        var left = leaving.Take(options.LeavingGateways).ToHashSet(ReferenceEqualityComparer.Instance);
        var remaining = peers.Where(p => !left.Contains(p)).ToArray();

        var names = FleetSimulation.FunctionNames(options.Functions);
        var weights = names.Select((_, f) => Math.Pow(f + 1, -options.ZipfExponent)).ToArray();
        int moved = 0, fromStayingHome = 0, pastNextSurvivor = 0;
        var movedWeight = 0.0;
        for (var f = 0; f < names.Length; f++)
        {
            var before = RendezvousRanking.Rank(names[f], peers);
            var after = RendezvousRanking.Rank(names[f], remaining);
            if (ReferenceEquals(before[0], after[0]))
            {
                continue;
            }

            moved++;
            movedWeight += weights[f];
            if (!left.Contains(before[0]))
            {
                fromStayingHome++;
            }

            if (!ReferenceEquals(after[0], before.First(p => !left.Contains(p))))
            {
                pastNextSurvivor++;
            }
        }

        return new LeaveResult
        {
            Gateways = options.Gateways,
            Left = left.Count,
            Functions = names.Length,
            Moved = moved,
            MovedFromStayingHome = fromStayingHome,
            MovedPastNextSurvivor = pastNextSurvivor,
            CallShareMoved = movedWeight / weights.Sum(),
        };
    }
}
