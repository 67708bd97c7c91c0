using System.Text.Json;
using System.Text.Json.Serialization;
using Epsilon.Gateway.Fleet;

namespace Epsilon.Gateway;

[JsonSerializable(typeof(FleetStatus))]
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
internal sealed partial class GatewayJsonContext : JsonSerializerContext;
