namespace Epsilon.Core.Docker;

/// <summary>One line of a container's output.</summary>
public sealed class ContainerLogLine
{
    /// <summary>The stream the line was written to.</summary>
    public ContainerLogStream Stream { get; init; }

    /// <summary>The line, without its line break.</summary>
    public string Text { get; init; } = "";

    /// <inheritdoc />
    public override string ToString() => $"{Stream}: {Text}";
}
