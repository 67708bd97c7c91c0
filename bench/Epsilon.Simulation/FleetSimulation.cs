using Epsilon.Gateway.Fleet;

namespace Epsilon.Simulation;

/// <summary>
/// Discrete-event simulation of the fleet for one routing policy: each function's calls arrive at a gateway chosen
/// round-robin by the load balancer; the policy picks who serves; the serving gateway takes a warm container or
/// starts one. Events are calls arriving and calls ending, in simulated time; nothing reads the clock.
/// </summary>
internal static class FleetSimulation
{
    public static PolicyResult Run(SimulationOptions options, RoutingPolicy policy)
    {
        var peers = Peers(options);
        var names = FunctionNames(options.Functions);
        var workloads = FunctionWorkload.CreateAll(options);
        var fleet = new SimulatedFleet(options.Gateways, options.Functions, options.ContainersPerGateway, options.MaxContainersPerFunction,
            options.KeepAliveSeconds);
        var saturation = new FleetSaturation(fleet, peers, names);
        var peerIndex = new Dictionary<FleetPeer, int>(ReferenceEqualityComparer.Instance);
        for (var g = 0; g < peers.Length; g++)
        {
            peerIndex[peers[g]] = g;
        }

        var end = options.DurationSeconds;
        var served = new long[options.Gateways];
        var busySeconds = new double[options.Gateways];
        var peakBusy = new int[options.Gateways];
        var servedPair = new bool[options.Gateways * options.Functions];
        var called = new bool[options.Functions];
        long calls = 0, rejections = 0, forwarded = 0, spilled = 0;
        double heldSum = 0;
        int samples = 0, peakHeld = 0;
        var nextSample = 0.0;
        var balancer = 0;

        // Arrivals carry the function (>= 0), call ends the complement of the container (< 0).
        var events = new PriorityQueue<int, double>(options.Functions + options.Gateways * options.ContainersPerGateway);
        for (var f = 0; f < workloads.Length; f++)
        {
            var first = workloads[f].NextArrival(0);
            if (first < end)
            {
                events.Enqueue(f, first);
            }
        }

        while (events.TryPeek(out var next, out var now) && now < end)
        {
            while (nextSample <= now)
            {
                Sample(nextSample);
            }

            events.Dequeue();
            if (next < 0)
            {
                fleet.Release(~next, now);
                continue;
            }

            var function = next;
            var workload = workloads[function];
            var following = workload.NextArrival(now);
            if (following < end)
            {
                events.Enqueue(function, following);
            }

            var duration = workload.NextDuration();
            calls++;
            called[function] = true;
            var landed = balancer;
            balancer = (balancer + 1) % options.Gateways;

            int server;
            switch (policy)
            {
                case RoutingPolicy.Sticky:
                    saturation.Now = now;
                    var decision = SpilloverRouter.Route(names[function], peers[landed].Id, peers, saturation);
                    server = decision.Peer is { } peer ? peerIndex[peer] : landed;
                    if (decision.Spilled)
                    {
                        spilled++;
                    }

                    if (!decision.IsLocal)
                    {
                        // The receiving gateway decides again and, the call being forwarded, serves it.
                        forwarded++;
                        var again = SpilloverRouter.Route(names[function], peers[server].Id, peers, saturation, forwarded: true);
                        server = again.Peer is { } onward ? peerIndex[onward] : server;
                    }

                    break;
                case RoutingPolicy.RoundRobin:
                    server = landed;
                    break;
                case RoutingPolicy.LeastLoaded:
                    server = LeastBusy(fleet, start: landed);
                    break;
                default:
                    throw new ArgumentOutOfRangeException(nameof(policy), policy, null);
            }

            var outcome = fleet.Serve(server, function, now, out var container);
            if (outcome == ServeOutcome.Rejected)
            {
                rejections++;
                continue;
            }

            var busy = duration + (outcome == ServeOutcome.Cold ? options.ColdStartSeconds : 0);
            events.Enqueue(~container, now + busy);
            served[server]++;
            busySeconds[server] += busy;
            peakBusy[server] = Math.Max(peakBusy[server], fleet.Busy(server));
            servedPair[server * options.Functions + function] = true;
        }

        while (nextSample < end)
        {
            Sample(nextSample);
        }

        return new PolicyResult
        {
            Policy = policy,
            Calls = calls,
            FunctionsCalled = called.Count(c => c),
            ColdStarts = fleet.ColdStarts,
            Rejections = rejections,
            Evictions = fleet.Evictions,
            Expirations = fleet.Expirations,
            MeanContainersHeld = samples == 0 ? 0 : heldSum / samples,
            PeakContainersHeld = peakHeld,
            MeanBusyContainers = busySeconds.Sum() / end,
            ImbalanceByCalls = OverMean(served.Select(s => (double)s).ToArray()),
            ImbalanceByBusyTime = OverMean(busySeconds),
            PeakBusyOnOneGateway = peakBusy.Max(),
            Forwarded = forwarded,
            Spilled = spilled,
            GatewaysPerFunction = GatewaysPerFunction(servedPair, options.Functions),
        };

        void Sample(double at)
        {
            var held = fleet.ExpireAndCountHeld(at);
            heldSum += held;
            peakHeld = Math.Max(peakHeld, held);
            samples++;
            nextSample = at + options.SampleSeconds;
        }
    }

    /// <summary>The fleet's gateways as routing sees them: <c>gw-000</c>, <c>gw-001</c>, ...</summary>
    public static FleetPeer[] Peers(SimulationOptions options) =>
        Enumerable.Range(0, options.Gateways)
            .Select(g => new FleetPeer($"gw-{g:D3}", new Uri($"http://gw-{g:D3}.sim:8080"), options.ContainersPerGateway))
            .ToArray();

    /// <summary>The functions' names, most popular first: <c>fn-00000</c>, <c>fn-00001</c>, ...</summary>
    public static string[] FunctionNames(int functions) => Enumerable.Range(0, functions).Select(f => $"fn-{f:D5}").ToArray();

    // The gateway with the fewest busy containers; among equals the first from where the balancer stands, so ties rotate.
    private static int LeastBusy(SimulatedFleet fleet, int start)
    {
        var best = start;
        for (var i = 1; i < fleet.Gateways; i++)
        {
            var g = (start + i) % fleet.Gateways;
            if (fleet.Busy(g) < fleet.Busy(best))
            {
                best = g;
            }
        }

        return best;
    }

    private static double OverMean(double[] perGateway)
    {
        var mean = perGateway.Average();
        return mean == 0 ? 0 : perGateway.Max() / mean;
    }

    private static double GatewaysPerFunction(bool[] servedPair, int functions)
    {
        var perFunction = new int[functions];
        for (var pair = 0; pair < servedPair.Length; pair++)
        {
            if (servedPair[pair])
            {
                perFunction[pair % functions]++;
            }
        }

        var called = perFunction.Where(n => n > 0).ToArray();
        return called.Length == 0 ? 0 : called.Average();
    }
}
