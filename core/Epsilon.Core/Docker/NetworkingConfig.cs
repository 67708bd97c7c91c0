namespace Epsilon.Core.Docker;

/// <summary>The networks a container is connected to when it is created.</summary>
public sealed class NetworkingConfig
{
    /// <summary>Endpoint settings by network name or id.</summary>
    public IDictionary<string, EndpointSettings>? EndpointsConfig { get; set; }
}
