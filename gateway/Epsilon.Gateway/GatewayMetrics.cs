using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Diagnostics;
using Epsilon.Gateway.Pooling;

namespace Epsilon.Gateway;

/// <summary>
/// Call metrics: published on the <c>Epsilon.Gateway</c> meter for OpenTelemetry-style collectors, and kept as per-function
/// totals for <c>GET /_epsilon/metrics</c>.
/// </summary>
internal sealed class GatewayMetrics : IDisposable
{
    public const string MeterName = "Epsilon.Gateway";

    private readonly Meter _meter;
    private readonly Counter<long> _invocations;
    private readonly Histogram<double> _duration;
    private readonly Histogram<double> _coldStart;
    private readonly Counter<long> _rejections;
    private readonly Counter<long> _forwards;
    private readonly ConcurrentDictionary<string, FunctionTotals> _totals = new(StringComparer.Ordinal);

    public GatewayMetrics(IMeterFactory meterFactory)
    {
        _meter = meterFactory.Create(MeterName);
        _invocations = _meter.CreateCounter<long>("epsilon.gateway.invocations", description: "Calls answered, by function and status code.");
        _duration = _meter.CreateHistogram<double>("epsilon.gateway.invocation.duration", "s", "Time from a call's arrival to its end.");
        _coldStart = _meter.CreateHistogram<double>("epsilon.gateway.cold_start.duration", "s", "Time a call waited for a new container.");
        _rejections = _meter.CreateCounter<long>("epsilon.gateway.rejections", description: "Calls refused for lack of a container.");
        _forwards = _meter.CreateCounter<long>("epsilon.gateway.forwards", description: "Calls sent on to the gateway that serves them, by function and whether they spilled past its home.");
    }

    public void Forwarded(string function, bool spilled)
    {
        _forwards.Add(1, new KeyValuePair<string, object?>("function", function), new KeyValuePair<string, object?>("spilled", spilled));
        var totals = Totals(function);
        Interlocked.Increment(ref totals.Forwards);
        if (spilled)
        {
            Interlocked.Increment(ref totals.Spills);
        }
    }

    /// <summary>A call served here past the function's home, because the gateways before were saturated.</summary>
    public void SpilledHere(string function) => Interlocked.Increment(ref Totals(function).Spills);

    public void Invoked(string function, int statusCode, TimeSpan duration)
    {
        var tags = new TagList { { "function", function }, { "status", statusCode } };
        _invocations.Add(1, tags);
        _duration.Record(duration.TotalSeconds, new KeyValuePair<string, object?>("function", function));
        var totals = Totals(function);
        Interlocked.Increment(ref totals.Invocations);
        if (statusCode >= 500)
        {
            Interlocked.Increment(ref totals.Errors);
        }
    }

    public void ColdStart(string function, TimeSpan duration)
    {
        _coldStart.Record(duration.TotalSeconds, new KeyValuePair<string, object?>("function", function));
        Interlocked.Increment(ref Totals(function).ColdStarts);
    }

    public void Rejected(string function, AcquireError reason)
    {
        _rejections.Add(1, new KeyValuePair<string, object?>("function", function), new KeyValuePair<string, object?>("reason", reason.ToString()));
        Interlocked.Increment(ref Totals(function).Rejections);
    }

    /// <summary>Totals per function since the gateway started.</summary>
    public IReadOnlyDictionary<string, FunctionTotals> Snapshot() => _totals;

    private FunctionTotals Totals(string function) => _totals.GetOrAdd(function, static _ => new FunctionTotals());

    public void Dispose() => _meter.Dispose();

    /// <summary>Running totals of one function.</summary>
    internal sealed class FunctionTotals
    {
        public long Invocations;
        public long Errors;
        public long ColdStarts;
        public long Rejections;
        public long Forwards;
        public long Spills;
    }
}
