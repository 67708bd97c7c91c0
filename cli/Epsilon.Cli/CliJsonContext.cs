using System.Text.Json;
using System.Text.Json.Serialization;
using Epsilon.Cli.Configuration;

namespace Epsilon.Cli;

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, WriteIndented = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(CliProfile))]
[JsonSerializable(typeof(Commands.DeployRequestBody))]
[JsonSerializable(typeof(Commands.RollbackRequestBody))]
[JsonSerializable(typeof(Commands.InvokeResult))]
[JsonSerializable(typeof(Commands.TokenRequestBody))]
[JsonSerializable(typeof(Commands.KeyRequestBody))]
[JsonSerializable(typeof(Commands.EnvRequestBody))]
[JsonSerializable(typeof(Commands.SecretRequestBody))]
[JsonSerializable(typeof(Commands.AliasRequestBody))]
[JsonSerializable(typeof(Commands.RebuildRequestBody))]
[JsonSerializable(typeof(JsonElement))]
internal sealed partial class CliJsonContext : JsonSerializerContext;
