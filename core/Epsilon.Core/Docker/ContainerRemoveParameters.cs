namespace Epsilon.Core.Docker;

/// <summary>Query parameters of <c>DELETE /containers/{id}</c>.</summary>
public sealed class ContainerRemoveParameters
{
    /// <summary>Kills the container first if it runs (<c>force</c>).</summary>
    public bool Force { get; set; }

    /// <summary>Removes the container's anonymous volumes too (<c>v</c>).</summary>
    public bool RemoveVolumes { get; set; }
}
