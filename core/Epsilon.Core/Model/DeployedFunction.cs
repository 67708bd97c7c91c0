namespace Epsilon.Core.Model;

/// <summary>A function version made by a deployment.</summary>
/// <param name="Name">Function name.</param>
/// <param name="Version">Version number.</param>
/// <param name="Image">Image reference.</param>
public sealed record DeployedFunction(string Name, int Version, string Image)
{
    /// <summary>The deployment found this version already live, built from the same source, and made none.</summary>
    public bool Unchanged { get; init; }
}
