using Microsoft.Extensions.Hosting;

namespace Epsilon.Aws.Tests.Gateway;

/// <summary>An application lifetime that records the stop the watcher asks for instead of stopping anything.</summary>
internal sealed class RecordingLifetime : IHostApplicationLifetime
{
    private readonly TaskCompletionSource _stopRequested = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task StopRequested => _stopRequested.Task;

    public CancellationToken ApplicationStarted => CancellationToken.None;

    public CancellationToken ApplicationStopping => CancellationToken.None;

    public CancellationToken ApplicationStopped => CancellationToken.None;

    public void StopApplication() => _stopRequested.TrySetResult();
}
