namespace Epsilon.Core.Docker;

/// <summary>The object a <see cref="DockerEvent"/> is about.</summary>
public sealed class EventActor
{
    /// <summary>The object's id.</summary>
    public string ID { get; set; } = "";

    /// <summary>The object's attributes: its labels, plus <c>name</c>, <c>image</c>, <c>exitCode</c>, ... depending on the event.</summary>
    public IDictionary<string, string>? Attributes { get; set; }
}
