using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Epsilon.Simulation;

/// <summary>The results as a Markdown table for people and one JSON line for tooling.</summary>
internal static class Report
{
    private static readonly JsonSerializerOptions s_json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    public static string Table(SimulationOptions options, IReadOnlyList<PolicyResult> results, LeaveResult leave)
    {
        var text = new StringBuilder();
        text.AppendLine(
            $"{options.Gateways} gateways x {options.ContainersPerGateway} containers (at most {options.MaxContainersPerFunction} per function), " +
            $"{N(options.Functions)} functions, Zipf {F(options.ZipfExponent)}, {N(options.CallsPerSecond)} calls/s, {N(options.DurationSeconds / 60)} min, " +
            $"keep-alive {N(options.KeepAliveSeconds / 60)} min, seed {options.Seed}");
        text.AppendLine();
        text.AppendLine(Row(["", .. results.Select(r => Name(r.Policy))]));
        text.AppendLine(Row(["---", .. results.Select(_ => "---")]));
        Add("calls (functions called)", r => $"{N(r.Calls)} ({N(r.FunctionsCalled)})");
        Add("cold starts", r => $"{N(r.ColdStarts)} ({P(r.ColdStartRate)})");
        Add("containers held, mean / peak", r => $"{N(r.MeanContainersHeld)} / {N(r.PeakContainersHeld)}");
        Add("containers busy, mean", r => N(r.MeanBusyContainers));
        Add("imbalance, calls (busiest / mean)", r => F(r.ImbalanceByCalls));
        Add("imbalance, busy time (busiest / mean)", r => F(r.ImbalanceByBusyTime));
        Add("most containers busy on one gateway", r => N(r.PeakBusyOnOneGateway));
        Add("forwarded / spilled past home", r => r.Policy == RoutingPolicy.Sticky ? $"{P(r.ForwardedShare)} / {P(r.SpilledShare)}" : "-");
        Add("gateways serving a function, mean", r => F(r.GatewaysPerFunction));
        Add("evictions", r => N(r.Evictions));
        Add("keep-alive removals", r => N(r.Expirations));
        Add("rejections", r => N(r.Rejections));
        text.AppendLine();
        text.AppendLine(
            $"{leave.Left} of {leave.Gateways} gateways leave at once: {N(leave.Moved)} of {N(leave.Functions)} functions move ({P(leave.MovedShare)}, " +
            $"{P(leave.CallShareMoved)} of the calls); moved from a home that stayed: {leave.MovedFromStayingHome}; " +
            $"moved past their next surviving gateway: {leave.MovedPastNextSurvivor}.");
        return text.ToString();

        void Add(string metric, Func<PolicyResult, string> cell) => text.AppendLine(Row([metric, .. results.Select(cell)]));

        string Row(IEnumerable<string> cells) => "| " + string.Join(" | ", cells) + " |";
    }

    public static string Json(SimulationOptions options, IReadOnlyList<PolicyResult> results, LeaveResult leave) =>
        JsonSerializer.Serialize(new { options, policies = results, leave }, s_json);

    private static string Name(RoutingPolicy policy) => policy switch
    {
        RoutingPolicy.Sticky => "sticky + spillover",
        RoutingPolicy.RoundRobin => "round-robin",
        RoutingPolicy.LeastLoaded => "least-loaded",
        _ => policy.ToString(),
    };

    private static string N(double value) => value.ToString("N0", CultureInfo.InvariantCulture);

    private static string F(double value) => value.ToString("0.00", CultureInfo.InvariantCulture);

    private static string P(double share) => (share * 100).ToString("0.00", CultureInfo.InvariantCulture) + " %";
}
