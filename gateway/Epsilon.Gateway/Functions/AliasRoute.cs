using Epsilon.Core.Model;

namespace Epsilon.Gateway.Functions;

/// <summary>Where an alias sends calls: its versions in version order, with their weights (summing to 100).</summary>
internal sealed class AliasRoute(IReadOnlyList<FunctionVersion> versions, IReadOnlyList<int> weights)
{
    /// <summary>The versions, ascending.</summary>
    public IReadOnlyList<FunctionVersion> Versions { get; } = versions;

    /// <summary>Each version's weight, in the same order.</summary>
    public IReadOnlyList<int> Weights { get; } = weights;

    /// <summary>
    /// The version a caller whose bucket (0..99) is <paramref name="bucket"/> gets: buckets are dealt out to the versions
    /// in order, each its weight's worth, so one caller always gets one version while the weights hold.
    /// </summary>
    public FunctionVersion Pick(int bucket)
    {
        var cumulative = 0;
        for (var i = 0; i < Versions.Count; i++)
        {
            cumulative += Weights[i];
            if (bucket < cumulative)
            {
                return Versions[i];
            }
        }

        return Versions[^1];
    }
}
