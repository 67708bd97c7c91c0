using System.Text.Json.Serialization;

namespace Epsilon.Core.Http;

/// <summary>Source-generated JSON for the shared HTTP shapes.</summary>
[JsonSerializable(typeof(ErrorBody))]
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
public sealed partial class HttpJsonContext : JsonSerializerContext;
