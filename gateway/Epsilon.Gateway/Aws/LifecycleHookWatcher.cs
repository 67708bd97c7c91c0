using Epsilon.Aws.AutoScaling;
using Epsilon.Aws.Metadata;
using Microsoft.Extensions.Options;

namespace Epsilon.Gateway.Aws;

/// <summary>
/// Scale-in on AWS. The autoscaling group's termination hook holds the instance in <c>Terminating:Wait</c> and AWS
/// sends the process no signal, so this polls IMDSv2's <c>autoscaling/target-lifecycle-state</c>; at <c>Terminated</c>
/// it stops the application, which drains exactly as SIGTERM does (<see cref="Fleet.FleetMembership"/>'s StoppingAsync),
/// and once everything has stopped it completes the lifecycle action so the group terminates the instance at once.
/// Registered before every other hosted service, so its StoppedAsync runs after all of them have stopped.
/// </summary>
internal sealed partial class LifecycleHookWatcher(
    InstanceMetadataClient metadata,
    AutoScalingClient autoScaling,
    IHostApplicationLifetime lifetime,
    IOptions<LifecycleHookOptions> options,
    TimeProvider timeProvider,
    ILogger<LifecycleHookWatcher> logger) : BackgroundService, IHostedLifecycleService
{
    internal const string TargetLifecycleStatePath = "autoscaling/target-lifecycle-state";
    internal const string InstanceIdPath = "instance-id";
    internal const string GroupNameTagPath = "tags/instance/aws:autoscaling:groupName";
    internal const string TerminatedState = "Terminated";

    private volatile ScaleIn? _scaleIn;

    /// <summary>Whether the group is terminating this instance (the watcher saw <c>Terminated</c>).</summary>
    public bool ScalingIn => _scaleIn is not null;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        if (!settings.Enabled)
        {
            return;
        }

        Log.Watching(logger, settings.LifecycleHookName!, metadata.Endpoint, settings.PollInterval.TotalSeconds);
        using var timer = new PeriodicTimer(settings.PollInterval, timeProvider);
        do
        {
            try
            {
                var state = await metadata.GetMetadataAsync(TargetLifecycleStatePath, stoppingToken).ConfigureAwait(false);
                if (string.Equals(state, TerminatedState, StringComparison.Ordinal))
                {
                    await BeginScaleInAsync(settings, stoppingToken).ConfigureAwait(false);
                    return;
                }
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                // IMDS away for a moment: the hook waits its heartbeat timeout, so the next poll is soon enough.
                Log.PollFailed(logger, ex.Message);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }

    private async Task BeginScaleInAsync(LifecycleHookOptions settings, CancellationToken cancellationToken)
    {
        string? instanceId = null;
        string? group = settings.AutoScalingGroupName;
        try
        {
            instanceId = await metadata.GetMetadataAsync(InstanceIdPath, cancellationToken).ConfigureAwait(false);
            group ??= await metadata.GetMetadataAsync(GroupNameTagPath, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            Log.PollFailed(logger, ex.Message);
        }

        // Drain even when the action cannot be completed: the group terminates the instance after the hook's timeout anyway.
        _scaleIn = new ScaleIn(group, settings.LifecycleHookName!, instanceId);
        Log.ScalingIn(logger, instanceId ?? "?", group ?? "?");
        lifetime.StopApplication();
    }

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>After the drain and every service's stop: tells Auto Scaling to go on terminating the instance.</summary>
    public async Task StoppedAsync(CancellationToken cancellationToken)
    {
        if (_scaleIn is not { } scaleIn)
        {
            return;
        }

        if (scaleIn.Group is null || scaleIn.InstanceId is null)
        {
            Log.CannotComplete(logger, scaleIn.Hook);
            return;
        }

        using var timeout = new CancellationTokenSource(options.Value.CompleteTimeout, timeProvider);
        try
        {
            await autoScaling.CompleteLifecycleActionAsync(scaleIn.Group, scaleIn.Hook, scaleIn.InstanceId, cancellationToken: timeout.Token).ConfigureAwait(false);
            Log.Completed(logger, scaleIn.Hook, scaleIn.InstanceId, scaleIn.Group);
        }
        catch (Exception ex)
        {
            Log.CompleteFailed(logger, scaleIn.Hook, ex.Message);
        }
    }

    private sealed record ScaleIn(string? Group, string Hook, string? InstanceId);

    private static partial class Log
    {
        [LoggerMessage(EventId = 9100, Level = LogLevel.Information,
            Message = "Watching lifecycle hook '{Hook}' through the instance metadata service at '{Endpoint}' every {Seconds} s.")]
        public static partial void Watching(ILogger logger, string hook, Uri endpoint, double seconds);

        [LoggerMessage(EventId = 9101, Level = LogLevel.Warning, Message = "Reading the instance's lifecycle state failed: {Reason}")]
        public static partial void PollFailed(ILogger logger, string reason);

        [LoggerMessage(EventId = 9102, Level = LogLevel.Warning,
            Message = "Instance '{InstanceId}' of group '{Group}' is being terminated: the gateway drains and stops.")]
        public static partial void ScalingIn(ILogger logger, string instanceId, string group);

        [LoggerMessage(EventId = 9103, Level = LogLevel.Information,
            Message = "Completed lifecycle hook '{Hook}' of instance '{InstanceId}' in group '{Group}'.")]
        public static partial void Completed(ILogger logger, string hook, string instanceId, string group);

        [LoggerMessage(EventId = 9104, Level = LogLevel.Error,
            Message = "Completing lifecycle hook '{Hook}' failed: {Reason}; the group terminates the instance after the hook's timeout.")]
        public static partial void CompleteFailed(ILogger logger, string hook, string reason);

        [LoggerMessage(EventId = 9105, Level = LogLevel.Error,
            Message = "Lifecycle hook '{Hook}' cannot be completed: the instance id or the group name is unknown (set Epsilon:Gateway:Aws:AutoScalingGroupName).")]
        public static partial void CannotComplete(ILogger logger, string hook);
    }
}
