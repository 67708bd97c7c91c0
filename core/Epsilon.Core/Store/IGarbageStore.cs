using Epsilon.Core.Model;

namespace Epsilon.Core.Store;

/// <summary>
/// What the garbage collectors ask of the store: the builder's, which removes unreachable versions' images from the
/// registry and old deployment logs, and each gateway's, which removes the local copies of images the registry lost.
/// </summary>
public interface IGarbageStore
{
    /// <summary>Functions (deleted or not) that have a version whose image is neither collected nor deleted with its function.</summary>
    Task<IReadOnlyList<string>> ListFunctionsWithImagesAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Marks collected, in one transaction under the function's lock, every version of <paramref name="function"/> that
    /// nothing keeps: not kept (<see cref="IAliasStore.ListKeptVersionsAsync"/> with <paramref name="rollbackWindow"/>), not
    /// among the newest <paramref name="keepNewest"/> ready versions, not building, and sharing its image with no version
    /// that is any of those (versions made by env and secret changes share their source's image). Returns their images,
    /// which the caller removes from the registry (or gives back with <see cref="ReleaseCollectedAsync"/>).
    /// </summary>
    Task<CollectedVersions> MarkCollectedAsync(string function, int keepNewest, int rollbackWindow, CancellationToken cancellationToken = default);

    /// <summary>Clears the collected mark of <paramref name="function"/>'s versions of <paramref name="images"/>: their removal failed, so they are still there and tried again next pass.</summary>
    Task ReleaseCollectedAsync(string function, IReadOnlyCollection<string> images, CancellationToken cancellationToken = default);

    /// <summary>The images of <paramref name="function"/> no version can use any more: every version of each is collected or deleted.</summary>
    Task<IReadOnlyList<string>> ListRemovedImagesAsync(string function, CancellationToken cancellationToken = default);

    /// <summary>Empties the build logs of deployments that finished before <paramref name="cutoff"/> (the rows, with status, error and versions, stay); returns how many.</summary>
    Task<int> EmptyDeploymentLogsBeforeAsync(DateTimeOffset cutoff, CancellationToken cancellationToken = default);
}
