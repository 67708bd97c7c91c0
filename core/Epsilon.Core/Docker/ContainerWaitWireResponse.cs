namespace Epsilon.Core.Docker;

/// <summary>The wire shape of the wait answer, flattened into <see cref="ContainerWaitResponse"/>.</summary>
internal sealed class ContainerWaitWireResponse
{
    public long StatusCode { get; set; }

    public ContainerWaitWireError? Error { get; set; }
}
