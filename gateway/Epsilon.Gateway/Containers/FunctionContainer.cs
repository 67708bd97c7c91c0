using Epsilon.Core.Model;

namespace Epsilon.Gateway.Containers;

/// <summary>
/// One container of one function version. Its mutable fields are guarded by the owning pool's lock; <see cref="Ready"/>
/// completes when the wrapper answers its readiness check.
/// </summary>
internal sealed class FunctionContainer(FunctionVersion version, long createdAt)
{
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public FunctionVersion Version { get; } = version;

    /// <summary>Docker's id, once created.</summary>
    public string? Id { get; set; }

    /// <summary><c>http://ip:port</c>, once started.</summary>
    public string? Endpoint { get; set; }

    /// <summary>The timeout the wrapper enforces, from its readiness answer.</summary>
    public TimeSpan Timeout { get; set; }

    public FunctionContainerState State { get; set; } = FunctionContainerState.Starting;

    /// <summary>Calls assigned to it and not yet ended.</summary>
    public int InFlight { get; set; }

    /// <summary>When its last call ended (or it was created), as a <see cref="TimeProvider"/> timestamp.</summary>
    public long LastUsed { get; set; } = createdAt;

    /// <summary>Whether it was handed to the remover already.</summary>
    public bool Removed { get; set; }

    public Task Ready => _ready.Task;

    /// <summary>Completes when its process has stopped, with how; set before it is marked ready.</summary>
    public Task<ContainerExit>? Exited { get; set; }

    /// <summary>The last pause or resume asked of Docker; the next one waits for it, and a call waits for a resume.</summary>
    public Task Transition { get; set; } = Task.CompletedTask;

    public void MarkReady() => _ready.TrySetResult();

    public void MarkFailed(Exception exception) => _ready.TrySetException(exception);
}
