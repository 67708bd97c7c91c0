using System.Text.Json;
using System.Text.Json.Serialization;

namespace Epsilon.Builder.Api;

[JsonSerializable(typeof(DeployRequest))]
[JsonSerializable(typeof(DeploymentResponse))]
[JsonSerializable(typeof(FunctionResponse))]
[JsonSerializable(typeof(IReadOnlyList<FunctionResponse>))]
[JsonSerializable(typeof(TokenRequest))]
[JsonSerializable(typeof(FunctionKeyRequest))]
[JsonSerializable(typeof(FunctionKeyResponse))]
[JsonSerializable(typeof(IReadOnlyList<FunctionKeyResponse>))]
[JsonSerializable(typeof(TokenResponse))]
[JsonSerializable(typeof(IReadOnlyList<TokenResponse>))]
[JsonSerializable(typeof(Epsilon.Core.Model.FunctionConfig))]
[JsonSerializable(typeof(RollbackRequest))]
[JsonSerializable(typeof(RollbackResponse))]
[JsonSerializable(typeof(DeleteResponse))]
[JsonSerializable(typeof(IReadOnlyList<VersionResponse>))]
[JsonSerializable(typeof(EnvChangeRequest))]
[JsonSerializable(typeof(EnvResponse))]
[JsonSerializable(typeof(SecretRequest))]
[JsonSerializable(typeof(IReadOnlyList<SecretResponse>))]
[JsonSerializable(typeof(ConfigChangeResponse))]
[JsonSerializable(typeof(AuditPageResponse))]
[JsonSerializable(typeof(AliasRequest))]
[JsonSerializable(typeof(IReadOnlyList<AliasResponse>))]
[JsonSerializable(typeof(AliasChangeResponse))]
[JsonSerializable(typeof(Epsilon.Builder.Garbage.GarbageReport))]
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
internal sealed partial class BuilderJsonContext : JsonSerializerContext;
