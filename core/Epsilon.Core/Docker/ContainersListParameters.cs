namespace Epsilon.Core.Docker;

/// <summary>Query parameters of <c>GET /containers/json</c>.</summary>
public sealed class ContainersListParameters
{
    /// <summary>Lists stopped containers too (<c>docker ps -a</c>).</summary>
    public bool All { get; set; }

    /// <summary>Label filters, all of which must match: <c>key=value</c>, or only the key's presence when the value is null.</summary>
    public IDictionary<string, string?>? Labels { get; set; }

    /// <summary>Status filters, any of which may match: <c>created</c>, <c>running</c>, <c>paused</c>, <c>exited</c>, ...</summary>
    public IList<string>? Status { get; set; }
}
