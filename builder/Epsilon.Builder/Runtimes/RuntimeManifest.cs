using System.Text.Json.Serialization;

namespace Epsilon.Builder.Runtimes;

/// <summary>A runtime folder's <c>runtime.json</c>.</summary>
internal sealed record RuntimeManifest(RuntimeHandlerManifest Handler, IReadOnlyList<string>? Styles);

/// <summary>The handler forms a runtime accepts.</summary>
internal sealed record RuntimeHandlerManifest(string Example, IReadOnlyList<RuntimeHandlerPattern> Patterns, string? Kind);

/// <summary>One handler form: a regex with <c>file</c> and <c>export</c> groups, and a suffix for the file.</summary>
internal sealed record RuntimeHandlerPattern(string Regex, string? FileSuffix);

[JsonSerializable(typeof(RuntimeManifest))]
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, ReadCommentHandling = System.Text.Json.JsonCommentHandling.Skip,
    AllowTrailingCommas = true)]
internal sealed partial class RuntimeJsonContext : JsonSerializerContext;
