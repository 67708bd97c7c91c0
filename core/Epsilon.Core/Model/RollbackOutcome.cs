namespace Epsilon.Core.Model;

/// <summary>How a rollback ended; anything but <see cref="Done"/> moved nothing.</summary>
public enum RollbackOutcome
{
    /// <summary>The live version moved.</summary>
    Done,

    /// <summary>No such function (or it was deleted).</summary>
    FunctionNotFound,

    /// <summary>The function has no such version.</summary>
    VersionNotFound,

    /// <summary>The version failed, is still building, or its image was deleted.</summary>
    VersionNotReady,

    /// <summary>The version asked for is already live.</summary>
    AlreadyLive,

    /// <summary>The version's image was collected (<see cref="FunctionVersion.ImageRemovedAt"/>): nothing could run it.</summary>
    ImageCollected,

    /// <summary>No ready version older than the live one (or nothing is live) to go back to.</summary>
    NoPreviousVersion,
}
