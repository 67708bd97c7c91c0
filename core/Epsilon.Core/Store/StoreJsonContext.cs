using System.Text.Json.Serialization;
using Epsilon.Core.Model;

namespace Epsilon.Core.Store;

[JsonSerializable(typeof(FunctionConfig))]
[JsonSerializable(typeof(string[]))]
[JsonSerializable(typeof(List<DeployedFunction>))]
[JsonSerializable(typeof(Dictionary<string, int>))]
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
internal sealed partial class StoreJsonContext : JsonSerializerContext;
