namespace Epsilon.Simulation;

/// <summary>
/// One function's calls: alternating "on" and "off" periods of exponential length, with Poisson arrivals while on, and
/// a lognormal duration per call. Each function draws from its own generator, so its calls are the same whatever the
/// routing policy does with them and in whatever order the simulation asks.
/// </summary>
internal sealed class FunctionWorkload
{
    private readonly Random _random;
    private readonly double _onRate;
    private readonly double _meanOn;
    private readonly double _meanOff;
    private readonly double _callMedian;
    private readonly double _callSigma;
    private double _onStart;
    private double _onEnd;

    public FunctionWorkload(double meanRate, SimulationOptions options, int seed)
    {
        _random = new Random(seed);
        MeanRate = meanRate;
        _onRate = meanRate / options.DutyCycle;
        _meanOn = Math.Max(options.MinBurstSeconds, options.CallsPerBurst / _onRate);
        _meanOff = _meanOn * (1 - options.DutyCycle) / options.DutyCycle;
        _callMedian = options.CallMedianSeconds;
        _callSigma = options.CallSigma;

        // Start in the stationary state: on with the duty cycle's probability; periods are memoryless.
        _onStart = _random.NextDouble() < options.DutyCycle ? 0 : Exponential(_meanOff);
        _onEnd = _onStart + Exponential(_meanOn);
    }

    /// <summary>Calls per second, averaged over on and off periods.</summary>
    public double MeanRate { get; }

    /// <summary>Mean length of an "on" period, in seconds.</summary>
    public double MeanOnSeconds => _meanOn;

    /// <summary>Mean length of an "off" period, in seconds.</summary>
    public double MeanOffSeconds => _meanOff;

    /// <summary>The time of the first call after <paramref name="after"/>.</summary>
    public double NextArrival(double after)
    {
        var t = Math.Max(after, _onStart);
        while (true)
        {
            var next = t + Exponential(1 / _onRate);
            if (next <= _onEnd)
            {
                return next;
            }

            _onStart = _onEnd + Exponential(_meanOff);
            _onEnd = _onStart + Exponential(_meanOn);
            t = _onStart;
        }
    }

    /// <summary>How long the next call keeps its container busy, cold start aside, in seconds.</summary>
    public double NextDuration()
    {
        // Box-Muller: one standard normal from two uniforms in (0, 1].
        var normal = Math.Sqrt(-2 * Math.Log(1 - _random.NextDouble())) * Math.Cos(2 * Math.PI * _random.NextDouble());
        return _callMedian * Math.Exp(_callSigma * normal);
    }

    /// <summary>Every function's workload under <paramref name="options"/>: Zipf mean rates, seeds drawn from its seed.</summary>
    public static FunctionWorkload[] CreateAll(SimulationOptions options)
    {
        var harmonic = 0.0;
        for (var k = 1; k <= options.Functions; k++)
        {
            harmonic += Math.Pow(k, -options.ZipfExponent);
        }

        var seeds = new Random(options.Seed);
        var workloads = new FunctionWorkload[options.Functions];
        for (var f = 0; f < workloads.Length; f++)
        {
            workloads[f] = new FunctionWorkload(options.CallsPerSecond * Math.Pow(f + 1, -options.ZipfExponent) / harmonic, options, seeds.Next());
        }

        return workloads;
    }

    private double Exponential(double mean) => -mean * Math.Log(1 - _random.NextDouble());
}
