namespace Epsilon.Core.Registry;

/// <summary>Removes function images from the registry, when their function is deleted.</summary>
public interface IRegistryImageRemover
{
    /// <summary>Removes each of <paramref name="images"/> (an image already gone counts as removed); never throws for one image's failure.</summary>
    Task<ImageRemoval> RemoveAsync(IReadOnlyList<string> images, CancellationToken cancellationToken = default);
}
