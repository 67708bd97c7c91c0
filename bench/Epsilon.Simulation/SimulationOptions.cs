using System.Globalization;

namespace Epsilon.Simulation;

/// <summary>
/// The simulated fleet and its workload. The defaults are issue 11's: 100 gateways of 200 containers, 10,000 functions
/// called Zipf(1.0) in on/off bursts for one simulated hour, a 10-minute keep-alive and a fixed seed.
/// </summary>
internal sealed record SimulationOptions
{
    /// <summary>Gateways in the fleet.</summary>
    public int Gateways { get; init; } = 100;

    /// <summary>Containers one gateway can hold, busy or idle.</summary>
    public int ContainersPerGateway { get; init; } = 200;

    /// <summary>Containers one function may hold on one gateway (the manifest's <c>maxContainers</c>).</summary>
    public int MaxContainersPerFunction { get; init; } = 10;

    /// <summary>Functions deployed; function <c>k</c> (from 0) is the <c>k+1</c>-th most popular.</summary>
    public int Functions { get; init; } = 10_000;

    /// <summary>Simulated time, in seconds.</summary>
    public double DurationSeconds { get; init; } = 3600;

    /// <summary>An idle container is removed after this long, in seconds.</summary>
    public double KeepAliveSeconds { get; init; } = 600;

    /// <summary>Calls per second over the whole fleet, averaged over the run.</summary>
    public double CallsPerSecond { get; init; } = 2000;

    /// <summary>Exponent of the Zipf law over functions: function <c>k</c>'s share is proportional to <c>1/(k+1)^s</c>.</summary>
    public double ZipfExponent { get; init; } = 1.0;

    /// <summary>Share of the time a function is in an "on" burst; it is called at its mean rate divided by this while on.</summary>
    public double DutyCycle { get; init; } = 0.25;

    /// <summary>Calls an "on" period brings on average, which sets its mean length (at least <see cref="MinBurstSeconds"/>).</summary>
    public double CallsPerBurst { get; init; } = 50;

    /// <summary>Shortest mean "on" period, in seconds: popular functions burst for this long.</summary>
    public double MinBurstSeconds { get; init; } = 30;

    /// <summary>Median time a call keeps its container busy, in seconds (lognormal).</summary>
    public double CallMedianSeconds { get; init; } = 0.1;

    /// <summary>Sigma of the lognormal of call durations (1.0: mean 1.65x the median, p99 10x).</summary>
    public double CallSigma { get; init; } = 1.0;

    /// <summary>What a cold start adds to its call, in seconds (this machine's measured cold start is about 0.4 s).</summary>
    public double ColdStartSeconds { get; init; } = 0.4;

    /// <summary>How often containers held are counted, in simulated seconds.</summary>
    public double SampleSeconds { get; init; } = 1;

    /// <summary>Gateways that leave at once in the leave experiment.</summary>
    public int LeavingGateways { get; init; } = 10;

    /// <summary>Seed of every random draw.</summary>
    public int Seed { get; init; } = 11;

    /// <summary>Reads <c>--name value</c> pairs over the defaults, e.g. <c>--gateways 10 --seed 7</c>.</summary>
    public static SimulationOptions Parse(IReadOnlyList<string> args)
    {
        var options = new SimulationOptions();
        for (var i = 0; i < args.Count; i += 2)
        {
            if (i + 1 >= args.Count)
            {
                throw new ArgumentException($"'{args[i]}' needs a value");
            }

            var value = double.Parse(args[i + 1], CultureInfo.InvariantCulture);
            options = args[i] switch
            {
                "--gateways" => options with { Gateways = (int)value },
                "--capacity" => options with { ContainersPerGateway = (int)value },
                "--max-containers" => options with { MaxContainersPerFunction = (int)value },
                "--functions" => options with { Functions = (int)value },
                "--minutes" => options with { DurationSeconds = value * 60 },
                "--keep-alive-minutes" => options with { KeepAliveSeconds = value * 60 },
                "--rate" => options with { CallsPerSecond = value },
                "--zipf" => options with { ZipfExponent = value },
                "--leaving" => options with { LeavingGateways = (int)value },
                "--seed" => options with { Seed = (int)value },
                _ => throw new ArgumentException(
                    $"unknown option '{args[i]}'; options are --gateways, --capacity, --max-containers, --functions, --minutes, " +
                    "--keep-alive-minutes, --rate, --zipf, --leaving, --seed"),
            };
        }

        return options;
    }
}
