namespace Epsilon.Builder.Api;

/// <summary>A function's environment as <c>GET /functions/{name}/env</c> shows it.</summary>
/// <param name="Name">The function.</param>
/// <param name="Version">The live version the environment is read from; absent when nothing is live.</param>
/// <param name="Env">The live version's variables (manifest and overrides; never secrets).</param>
/// <param name="Overrides">What was set or unset outside the manifest, which later deploys keep.</param>
/// <param name="Secrets">The names of its secrets, which containers get as variables too.</param>
internal sealed record EnvResponse(string Name, int? Version, IReadOnlyDictionary<string, string> Env, IReadOnlyList<EnvOverrideResponse> Overrides,
    IReadOnlyList<string> Secrets);

/// <summary>A variable set or unset outside the manifest.</summary>
/// <param name="Name">The variable.</param>
/// <param name="Value">Its value; absent when unset.</param>
/// <param name="Unset">Whether it was unset.</param>
/// <param name="UpdatedAt">When it last changed.</param>
internal sealed record EnvOverrideResponse(string Name, string? Value, bool Unset, DateTimeOffset UpdatedAt);
