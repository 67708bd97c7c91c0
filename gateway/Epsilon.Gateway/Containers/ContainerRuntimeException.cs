namespace Epsilon.Gateway.Containers;

/// <summary>
/// Docker refused or failed an operation on the gateway's containers, network or images (pause, thaw, removal, listing,
/// pull). The message carries the daemon's own words; nothing above <see cref="ContainerRuntime"/> sees Docker.DotNet's types.
/// </summary>
internal sealed class ContainerRuntimeException(string message, Exception? innerException = null) : Exception(message, innerException);
