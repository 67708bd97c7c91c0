using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Epsilon.Core.Manifest;

/// <summary>
/// YamlDotNet's parser (itself a loop, not a recursion) with <see cref="ManifestLimits"/> checked at every event, so a
/// hostile manifest fails before the representation model, which recurses once per level and hashes mapping keys
/// whole, ever sees it. Aliases are counted as the nodes their anchor holds, which bounds any expansion.
/// </summary>
internal sealed class BoundedYamlParser : IParser
{
    // The clock is read every so many events: often enough for a bound in seconds, rare enough to cost nothing.
    private const int EventsPerClockCheck = 256;

    private readonly string _fileName;
    private readonly ManifestLimits _limits;
    private readonly Parser _inner;
    private readonly DateTimeOffset _deadline;
    private readonly Dictionary<string, long> _anchorNodes = new(StringComparer.Ordinal);
    private readonly Stack<(AnchorName Anchor, long NodesBefore)> _open = new();
    private long _nodes;
    private long _events;

    public BoundedYamlParser(string fileName, string yaml, ManifestLimits limits)
    {
        _fileName = fileName;
        _limits = limits;
        _inner = new Parser(new StringReader(yaml));
        _deadline = limits.TimeProvider.GetUtcNow() + limits.MaxParseTime;
    }

    public ParsingEvent? Current => _inner.Current;

    public bool MoveNext()
    {
        if (!_inner.MoveNext())
        {
            return false;
        }

        switch (_inner.Current)
        {
            case MappingStart or SequenceStart:
                var start = (NodeEvent)_inner.Current;
                Count(1, start);
                if (_open.Count >= _limits.MaxDepth)
                {
                    throw Exceeded("(nesting)", start, $"lists and mappings nest deeper than {_limits.MaxDepth} levels, the most a manifest may");
                }

                _open.Push((start.Anchor, _nodes - 1));
                break;
            case MappingEnd or SequenceEnd:
                var (anchor, before) = _open.Pop();
                if (!anchor.IsEmpty)
                {
                    _anchorNodes[anchor.Value] = _nodes - before;
                }

                break;
            case Scalar scalar:
                Count(1, scalar);
                if (!scalar.Anchor.IsEmpty)
                {
                    _anchorNodes[scalar.Anchor.Value] = 1;
                }

                break;
            case AnchorAlias alias:
                // An alias to an anchor still open (a node holding itself) counts as one node; the loader refuses it anyway.
                Count(_anchorNodes.GetValueOrDefault(alias.Value.Value, 1), alias);
                break;
        }

        if (++_events % EventsPerClockCheck == 0 && _limits.TimeProvider.GetUtcNow() > _deadline)
        {
            throw Exceeded("(time)", _inner.Current!, $"parsing took longer than {_limits.MaxParseTime.TotalSeconds:0.###} s, the most a manifest may");
        }

        return true;
    }

    private void Count(long nodes, ParsingEvent at)
    {
        _nodes += nodes;
        if (_nodes > _limits.MaxNodes)
        {
            throw Exceeded(at is AnchorAlias ? "(aliases)" : "(nodes)", at, at is AnchorAlias
                ? $"aliases expand the manifest to more than {_limits.MaxNodes} nodes, the most a manifest may"
                : $"the manifest holds more than {_limits.MaxNodes} nodes, the most a manifest may");
        }
    }

    private ManifestException Exceeded(string key, ParsingEvent at, string message) =>
        new(_fileName, [new ManifestError(key, (int)at.Start.Line, message)]);
}
