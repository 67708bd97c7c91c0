using Epsilon.Core.Manifest;
using Epsilon.Core.Model;

namespace Epsilon.Builder.Deployments;

/// <summary>How a deployment ended.</summary>
internal sealed record DeploymentOutcome(Deployment Deployment, DeploymentFailure Failure, string? Message, IReadOnlyList<ManifestError> Problems)
{
    public bool Succeeded => Failure == DeploymentFailure.None;

    /// <summary>The eserveless project, when the repository was deployed from a <c>.eserveless.yaml</c>.</summary>
    public EserverlessProject? Eserveless { get; init; }

    /// <summary>Which gateways serve the deployment, once it went live.</summary>
    public Rollout? Rollout { get; init; }
}
