namespace Epsilon.Core.Model;

/// <summary>A variable set or unset on a function outside its manifest; it outlives deploys until changed again.</summary>
/// <param name="Name">The variable.</param>
/// <param name="Value">Its value; null when it was unset (a manifest's value of it is removed too).</param>
/// <param name="UpdatedAt">When it was last changed.</param>
public sealed record EnvOverride(string Name, string? Value, DateTimeOffset UpdatedAt);
