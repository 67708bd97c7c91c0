namespace Epsilon.Core.Model;

/// <summary>Life of one deployment.</summary>
public enum DeploymentStatus
{
    /// <summary>Fetching, reading and building.</summary>
    Building,

    /// <summary>Every function built; their live versions moved.</summary>
    Ready,

    /// <summary>Something failed; no live version moved.</summary>
    Failed,
}
