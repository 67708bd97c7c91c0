namespace Epsilon.Builder.Garbage;

/// <summary>What one pass of the garbage collector did (the answer of <c>POST /maintenance/collect</c>).</summary>
/// <param name="Collected">The versions whose images left the registry, by function.</param>
/// <param name="RemovedImages">The images removed from the registry.</param>
/// <param name="ImageErrors">The images left there, each with why; their versions stay reachable and are tried again next pass.</param>
/// <param name="EmptiedLogs">Deployment logs emptied for being older than <see cref="BuilderOptions.DeploymentLogRetention"/>.</param>
internal sealed record GarbageReport(
    IReadOnlyDictionary<string, IReadOnlyList<int>> Collected,
    IReadOnlyList<string> RemovedImages,
    IReadOnlyList<string> ImageErrors,
    int EmptiedLogs);
