using System.Text.Json.Serialization;

namespace Epsilon.Core.Docker;

/// <summary>Source-generated serialization of the Engine API's wire models.</summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(CreateContainerParameters))]
[JsonSerializable(typeof(CreateContainerResponse))]
[JsonSerializable(typeof(ContainerInspectResponse))]
[JsonSerializable(typeof(List<ContainerListResponse>))]
[JsonSerializable(typeof(ContainerWaitWireResponse))]
[JsonSerializable(typeof(JsonMessage))]
[JsonSerializable(typeof(AuthConfig))]
[JsonSerializable(typeof(ImageInspectResponse))]
[JsonSerializable(typeof(NetworksCreateParameters))]
[JsonSerializable(typeof(NetworksCreateResponse))]
[JsonSerializable(typeof(NetworkResponse))]
[JsonSerializable(typeof(VersionResponse))]
[JsonSerializable(typeof(DockerEvent))]
[JsonSerializable(typeof(Dictionary<string, string>))]
[JsonSerializable(typeof(IDictionary<string, string>))]
[JsonSerializable(typeof(Dictionary<string, List<string>>))]
internal sealed partial class DockerJsonContext : JsonSerializerContext;
