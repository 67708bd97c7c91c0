namespace Epsilon.Gateway.Aws;

/// <summary>
/// Scale-in on AWS: the autoscaling group's termination lifecycle hook this gateway completes once it has drained.
/// Bound from <c>Epsilon:Gateway:Aws</c>; off unless <see cref="LifecycleHookName"/> is set.
/// </summary>
public sealed class LifecycleHookOptions
{
    /// <summary>Configuration section.</summary>
    public const string SectionName = "Epsilon:Gateway:Aws";

    /// <summary>The termination lifecycle hook's name; when set, the gateway watches for scale-in through IMDSv2.</summary>
    public string? LifecycleHookName { get; set; }

    /// <summary>
    /// The autoscaling group's name. Default: the instance's <c>aws:autoscaling:groupName</c> tag from the metadata
    /// service (needs instance metadata tags on in the launch template).
    /// </summary>
    public string? AutoScalingGroupName { get; set; }

    /// <summary>How often <c>autoscaling/target-lifecycle-state</c> is read.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How long <c>CompleteLifecycleAction</c> may take once the gateway has stopped. Its own budget, since the host's
    /// stop token may already be spent by a long drain and an uncompleted hook holds the instance until its heartbeat timeout.
    /// </summary>
    public TimeSpan CompleteTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Whether the watcher runs.</summary>
    internal bool Enabled => !string.IsNullOrEmpty(LifecycleHookName);
}
