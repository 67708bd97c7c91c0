namespace Epsilon.Core.Model;

/// <summary>How an env or secret change ended; anything but <see cref="Done"/> changed nothing.</summary>
public enum ConfigChangeOutcome
{
    /// <summary>A new version with the change is live.</summary>
    Done,

    /// <summary>No such function (or it was deleted).</summary>
    FunctionNotFound,

    /// <summary>The function has no live version to make the new one from.</summary>
    NoLiveVersion,

    /// <summary>A deployment of the function is building; its version would not carry the change.</summary>
    DeploymentRunning,

    /// <summary>The secret to remove does not exist.</summary>
    SecretNotFound,
}
