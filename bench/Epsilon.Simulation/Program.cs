using System.Diagnostics;
using Epsilon.Simulation;

// Issue 11, item 9: the fleet past this machine, by simulation. The gateway's own ranking and spillover code routes
// calls among simulated gateways and containers; sticky routing with spillover is compared with round-robin and
// least-loaded, and a tenth of the gateways leave at once. Prints a Markdown table, then one JSON line.
// Deterministic: every draw comes from the seed; the wall time goes to stderr.
var options = SimulationOptions.Parse(args);
var clock = Stopwatch.StartNew();
var results = new List<PolicyResult>();
foreach (var policy in Enum.GetValues<RoutingPolicy>())
{
    var started = clock.Elapsed;
    results.Add(FleetSimulation.Run(options, policy));
    Console.Error.WriteLine($"{policy}: {(clock.Elapsed - started).TotalSeconds:0.0} s");
}

var leave = LeaveExperiment.Run(options);
Console.Write(Report.Table(options, results, leave));
Console.WriteLine(Report.Json(options, results, leave));
Console.Error.WriteLine($"wall time {clock.Elapsed.TotalSeconds:0.0} s");
