using System.Globalization;

namespace Epsilon.Bench;

/// <summary>Command line: [cold samples] [wrk duration] [functions].</summary>
internal sealed record BenchOptions(int Samples, string WrkDuration, int Functions)
{
    public static BenchOptions Parse(string[] args) => new(
        args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 5,
        args.Length > 1 ? args[1] : "10s",
        args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 100);
}
