using Epsilon.Core.Model;

namespace Epsilon.Core.Manifest;

/// <summary>One function declared in a manifest.</summary>
/// <param name="Name">Function name.</param>
/// <param name="Config">Its configuration with defaults applied.</param>
public sealed record ManifestFunction(string Name, FunctionConfig Config);
