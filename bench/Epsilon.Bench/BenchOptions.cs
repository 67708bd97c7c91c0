using System.Globalization;

namespace Epsilon.Bench;

/// <summary>
/// Command line: [cold samples] [wrk duration] [functions] [sections]. Sections is a comma-separated subset of
/// <see cref="AllSections"/> (default: all), so one figure can be measured again without the whole run.
/// </summary>
internal sealed record BenchOptions(int Samples, string WrkDuration, int Functions, IReadOnlySet<string> Sections)
{
    public static readonly IReadOnlyList<string> AllSections = ["deploy", "warm", "cold", "pool", "burst", "density", "runtimes", "fleet"];

    public static BenchOptions Parse(string[] args)
    {
        var sections = args.Length > 3 && args[3] is not ("" or "all")
            ? args[3].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet(StringComparer.Ordinal)
            : AllSections.ToHashSet(StringComparer.Ordinal);
        if (sections.FirstOrDefault(s => !AllSections.Contains(s)) is { } unknown)
        {
            throw new ArgumentException($"unknown section '{unknown}'; sections are {string.Join(", ", AllSections)}");
        }

        return new(
            args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 5,
            args.Length > 1 ? args[1] : "10s",
            args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 100,
            sections);
    }

    public bool Runs(string section) => Sections.Contains(section);
}
