namespace Epsilon.Core.Manifest;

/// <summary>A repository's <c>epsilon.yaml</c>, read and validated.</summary>
/// <param name="Functions">The functions it declares, in file order.</param>
public sealed record EpsilonManifest(IReadOnlyList<ManifestFunction> Functions)
{
    /// <summary>The manifest's file name at the repository root.</summary>
    public const string FileName = "epsilon.yaml";
}
