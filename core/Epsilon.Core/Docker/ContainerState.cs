namespace Epsilon.Core.Docker;

/// <summary>A container's run state, as reported by inspect.</summary>
public sealed class ContainerState
{
    /// <summary>One of <c>created</c>, <c>running</c>, <c>paused</c>, <c>restarting</c>, <c>removing</c>, <c>exited</c>, <c>dead</c>.</summary>
    public string Status { get; set; } = "";

    /// <summary>Whether the container runs (a paused container runs too).</summary>
    public bool Running { get; set; }

    /// <summary>Whether the container is paused.</summary>
    public bool Paused { get; set; }

    /// <summary>Whether the container is restarting.</summary>
    public bool Restarting { get; set; }

    /// <summary>Whether the kernel killed the container for exceeding its memory limit.</summary>
    public bool OOMKilled { get; set; }

    /// <summary>Whether the container is dead (failed removal).</summary>
    public bool Dead { get; set; }

    /// <summary>The host PID of the container's main process; 0 when it does not run.</summary>
    public long Pid { get; set; }

    /// <summary>The exit code of the last run.</summary>
    public long ExitCode { get; set; }

    /// <summary>Why the daemon failed to start the container, if it did.</summary>
    public string? Error { get; set; }

    /// <summary>When the last run started (RFC 3339 with nanoseconds).</summary>
    public string? StartedAt { get; set; }

    /// <summary>When the last run ended (RFC 3339 with nanoseconds).</summary>
    public string? FinishedAt { get; set; }
}
