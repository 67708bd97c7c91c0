namespace Epsilon.Core.Model;

/// <summary>Life of one function version.</summary>
public enum VersionStatus
{
    /// <summary>Its image is being built.</summary>
    Building,

    /// <summary>Built and pushed; callable once its deployment goes live.</summary>
    Ready,

    /// <summary>Its build or its deployment failed; never callable.</summary>
    Failed,
}
