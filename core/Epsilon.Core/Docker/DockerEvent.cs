using System.Text.Json.Serialization;

namespace Epsilon.Core.Docker;

/// <summary>One event of <c>GET /events</c>.</summary>
public sealed class DockerEvent
{
    /// <summary>The object's type: <c>container</c>, <c>image</c>, <c>network</c>, <c>volume</c>, ...</summary>
    public string Type { get; set; } = "";

    /// <summary>What happened: <c>create</c>, <c>start</c>, <c>die</c>, <c>oom</c>, <c>destroy</c>, ...</summary>
    public string Action { get; set; } = "";

    /// <summary>The object the event is about.</summary>
    public EventActor Actor { get; set; } = new();

    /// <summary>When it happened, in seconds since the Unix epoch.</summary>
    [JsonPropertyName("time")]
    public long Time { get; set; }

    /// <summary>When it happened, in nanoseconds since the Unix epoch.</summary>
    [JsonPropertyName("timeNano")]
    public long TimeNano { get; set; }
}
