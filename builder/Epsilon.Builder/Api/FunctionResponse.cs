using Epsilon.Core.Model;

namespace Epsilon.Builder.Api;

/// <summary>A deployed function as the API shows it, with its aliases (live first, its weights when it is split).</summary>
internal sealed record FunctionResponse(
    string Name,
    string Repository,
    string Url,
    int? Version,
    string? Image,
    string? DeploymentId,
    DateTimeOffset? DeployedAt,
    FunctionSettingsResponse? Settings,
    IReadOnlyList<AliasResponse> Aliases);

/// <summary>A function version's settings: the names of its variables and secrets, never values (<c>GET /functions/{name}/env</c> has the variables').</summary>
internal sealed record FunctionSettingsResponse(
    string Runtime,
    string Handler,
    double? TimeoutSeconds,
    long MemoryBytes,
    double Cpu,
    int Concurrency,
    int MaxContainers,
    int MinWarm,
    double IdleTimeoutSeconds,
    IReadOnlyList<string> EnvNames,
    bool Public,
    IReadOnlyList<string> SecretNames)
{
    public static FunctionSettingsResponse From(FunctionConfig config) => new(
        config.Runtime,
        $"{config.HandlerFile}:{config.HandlerExport}",
        config.Timeout?.TotalSeconds,
        config.MemoryBytes,
        config.Cpu,
        config.Concurrency,
        config.MaxContainers,
        config.MinWarm,
        config.IdleTimeout.TotalSeconds,
        config.Env.Keys.Order(StringComparer.Ordinal).ToList(),
        config.Public,
        config.Secrets ?? []);
}
