namespace Epsilon.Simulation;

public sealed class FunctionWorkloadTests
{
    [Fact]
    public void NextArrival_OverALongTime_AveragesTheMeanRate_InBursts()
    {
        var options = new SimulationOptions();
        var workload = new FunctionWorkload(meanRate: 2, options, seed: 1);
        var arrivals = new List<double>();
        for (var t = workload.NextArrival(0); t < 100_000; t = workload.NextArrival(t))
        {
            arrivals.Add(t);
        }

        Assert.InRange(arrivals.Count, 0.9 * 200_000, 1.1 * 200_000);

        // Off periods show as gaps far longer than the on rate's (8/s) would make.
        var longGaps = arrivals.Zip(arrivals.Skip(1), (a, b) => b - a).Count(gap => gap > 10);
        Assert.InRange(longGaps, 100_000 / (workload.MeanOnSeconds + workload.MeanOffSeconds) * 0.7, 100_000 / (workload.MeanOnSeconds + workload.MeanOffSeconds) * 1.1);
    }

    [Fact]
    public void NextDuration_HasTheConfiguredMedian()
    {
        var workload = new FunctionWorkload(1, new SimulationOptions(), seed: 1);

        var durations = Enumerable.Range(0, 20_001).Select(_ => workload.NextDuration()).Order().ToArray();

        Assert.InRange(durations[10_000], 0.095, 0.105);
    }

    [Fact]
    public void CreateAll_GivesZipfRates_BurstsLongerForRareFunctions()
    {
        var options = new SimulationOptions();

        var workloads = FunctionWorkload.CreateAll(options);

        Assert.Equal(options.CallsPerSecond, workloads.Sum(w => w.MeanRate), 6);
        Assert.Equal(10, workloads[0].MeanRate / workloads[9].MeanRate, 6);

        // The rarest of 10,000 at 2,000 calls/s: 0.02 calls/s, 0.08 while on, 50 calls a burst of about 10 minutes.
        Assert.Equal(options.MinBurstSeconds, workloads[0].MeanOnSeconds);
        Assert.InRange(workloads[^1].MeanOnSeconds, 550, 650);
        Assert.Equal(3 * workloads[^1].MeanOnSeconds, workloads[^1].MeanOffSeconds, 6);
    }
}
