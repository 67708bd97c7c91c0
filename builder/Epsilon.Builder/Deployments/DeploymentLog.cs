using System.Text;

namespace Epsilon.Builder.Deployments;

/// <summary>The build log of one running deployment; readable while it is written.</summary>
internal sealed class DeploymentLog
{
    private readonly Lock _lock = new();
    private readonly StringBuilder _text = new();

    /// <summary>Appends one line.</summary>
    public void Append(string line)
    {
        lock (_lock)
        {
            _text.Append(line.TrimEnd('\r', '\n')).Append('\n');
        }
    }

    /// <summary>Appends several lines at once, kept together.</summary>
    public void AppendBlock(string text)
    {
        lock (_lock)
        {
            _text.Append(text);
        }
    }

    /// <summary>The last line starting with <paramref name="prefix"/>, if any.</summary>
    public string? LastLineStartingWith(string prefix)
    {
        lock (_lock)
        {
            return _text.ToString().Split('\n').LastOrDefault(l => l.StartsWith(prefix, StringComparison.Ordinal));
        }
    }

    /// <inheritdoc />
    public override string ToString()
    {
        lock (_lock)
        {
            return _text.ToString();
        }
    }
}
