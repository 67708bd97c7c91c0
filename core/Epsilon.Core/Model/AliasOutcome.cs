namespace Epsilon.Core.Model;

/// <summary>How setting or removing an alias ended; anything but <see cref="Done"/> changed nothing.</summary>
public enum AliasOutcome
{
    /// <summary>The alias changed.</summary>
    Done,

    /// <summary>No such function (or it was deleted).</summary>
    FunctionNotFound,

    /// <summary>The function has no such version.</summary>
    VersionNotFound,

    /// <summary>The version failed, is still building, or was deleted.</summary>
    VersionNotReady,

    /// <summary>The version's image was collected (<see cref="FunctionVersion.ImageRemovedAt"/>): nothing could run it.</summary>
    ImageCollected,

    /// <summary>The function has no alias of that name.</summary>
    AliasNotFound,
}
