using System.Text.Json.Serialization;

namespace Epsilon.Core.Docker;

/// <summary>The <c>errorDetail</c> of a <see cref="JsonMessage"/>.</summary>
public sealed class JsonError
{
    /// <summary>An error code (a failed <c>RUN</c>'s exit code), if any.</summary>
    [JsonPropertyName("code")]
    public int? Code { get; set; }

    /// <summary>The error's message.</summary>
    [JsonPropertyName("message")]
    public string? Message { get; set; }
}
