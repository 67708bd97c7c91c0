namespace Epsilon.Gateway.Containers;

/// <summary>Labels on every resource the gateway creates, so a restarted gateway (and tests) can find what it left.</summary>
internal static class ContainerLabels
{
    public const string Managed = "epsilon.managed";
    public const string Function = "epsilon.function";
    public const string Version = "epsilon.version";
    public const string Gateway = "epsilon.gateway";
}
