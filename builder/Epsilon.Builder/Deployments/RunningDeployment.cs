using Epsilon.Core.Model;

namespace Epsilon.Builder.Deployments;

/// <summary>A deployment being built: its record as created, its live log and its completion.</summary>
internal sealed record RunningDeployment(Deployment Deployment, DeploymentLog Log, Task<DeploymentOutcome> Completion);
