using System.Text.Json;
using System.Text.Json.Serialization;

namespace Epsilon.Core.Docker;

/// <summary>One message of the newline-delimited JSON progress streams of build, pull and push.</summary>
public sealed class JsonMessage
{
    /// <summary>Build output (a step, a command's output), usually ending with a line break.</summary>
    [JsonPropertyName("stream")]
    public string? Stream { get; set; }

    /// <summary>A status of pull or push (<c>Pulling fs layer</c>, <c>Pushed</c>, ...).</summary>
    [JsonPropertyName("status")]
    public string? Status { get; set; }

    /// <summary>The layer (or tag) the status is about.</summary>
    [JsonPropertyName("id")]
    public string? ID { get; set; }

    /// <summary>A rendered progress bar.</summary>
    [JsonPropertyName("progress")]
    public string? Progress { get; set; }

    /// <summary>The error that ended the operation, if any.</summary>
    [JsonPropertyName("error")]
    public string? Error { get; set; }

    /// <summary>The error's details.</summary>
    [JsonPropertyName("errorDetail")]
    public JsonError? ErrorDetail { get; set; }

    /// <summary>Auxiliary data: the built image's <c>{"ID": ...}</c>, a push's <c>{"Tag","Digest","Size"}</c>.</summary>
    [JsonPropertyName("aux")]
    public JsonElement? Aux { get; set; }

    /// <inheritdoc />
    public override string ToString() => Error ?? Stream ?? $"{ID} {Status} {Progress}".Trim();
}
