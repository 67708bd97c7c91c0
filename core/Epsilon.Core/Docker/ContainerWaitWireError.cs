namespace Epsilon.Core.Docker;

/// <summary>The wire shape of the wait answer's <c>Error</c> object.</summary>
internal sealed class ContainerWaitWireError
{
    public string? Message { get; set; }
}
