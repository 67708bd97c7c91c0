namespace Epsilon.Gateway.Containers;

/// <summary>How a started container's watch ended.</summary>
/// <param name="ExitCode">The process's exit code; -1 when Docker could not tell (the container is gone).</param>
/// <param name="GatewayStopping">
/// The watch ended because this gateway is stopping, not because the container did: it stays or goes as
/// <see cref="GatewayOptions.RemoveContainersOnStop"/> says, and is not to be replaced.
/// </param>
/// <param name="OutOfMemory">The kernel killed it for passing its memory limit (Docker's <c>OOMKilled</c>).</param>
internal readonly record struct ContainerExit(long ExitCode, bool GatewayStopping = false, bool OutOfMemory = false);
