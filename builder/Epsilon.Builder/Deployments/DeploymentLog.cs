using System.Text;

namespace Epsilon.Builder.Deployments;

/// <summary>
/// The build log of one running deployment; readable while it is written. Builds run the repository's own code, which
/// may print without end, so only the first and the last characters are kept (the start says what ran, the end why it
/// failed), with a line in between saying how much was cut: what is stored and what is streamed stay bounded.
/// </summary>
internal sealed class DeploymentLog
{
    /// <summary>Characters kept at each end unless configured otherwise.</summary>
    public const int DefaultKept = 64 * 1024;

    private readonly Lock _lock = new();
    private readonly int _headLimit;
    private readonly int _tailLimit;
    private readonly StringBuilder _head = new();

    // The tail grows to twice its limit before its start is dropped, so dropping costs little per character written.
    private readonly StringBuilder _tail = new();

    // Positions count every character ever written: where _tail starts, and the end.
    private long _tailStart;
    private long _written;

    /// <summary>A log keeping the first <paramref name="headCharacters"/> and the last <paramref name="tailCharacters"/>.</summary>
    public DeploymentLog(int headCharacters = DefaultKept, int tailCharacters = DefaultKept)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(headCharacters);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(tailCharacters);
        _headLimit = headCharacters;
        _tailLimit = tailCharacters;
        _tailStart = headCharacters;
    }

    /// <summary>How many characters were written, kept or not: the position a reader that read everything is at.</summary>
    public long Written
    {
        get
        {
            lock (_lock)
            {
                return _written;
            }
        }
    }

    /// <summary>Appends one line.</summary>
    public void Append(string line) => Write(line.TrimEnd('\r', '\n') + "\n");

    /// <summary>Appends several lines at once, kept together.</summary>
    public void AppendBlock(string text) => Write(text);

    /// <summary>The last line starting with <paramref name="prefix"/>, if any.</summary>
    public string? LastLineStartingWith(string prefix) =>
        ToString().Split('\n').LastOrDefault(l => l.StartsWith(prefix, StringComparison.Ordinal));

    /// <summary>
    /// What was written from <paramref name="position"/> on, as kept: a reader that fell behind what was cut gets the
    /// line saying so, then the tail. <paramref name="next"/> is where to read from next time.
    /// </summary>
    public string ReadFrom(long position, out long next)
    {
        lock (_lock)
        {
            var text = new StringBuilder();
            if (position < _head.Length)
            {
                text.Append(_head, (int)position, _head.Length - (int)position);
                position = _head.Length;
            }

            if (_written > _head.Length)
            {
                var kept = KeptTailStart;
                if (position < kept)
                {
                    text.Append(Cut(kept - position, text.Length > 0 ? text[^1] : CharacterBefore(position)));
                    position = kept;
                }

                text.Append(_tail, (int)(position - _tailStart), (int)(_written - position));
            }

            next = _written;
            return text.ToString();
        }
    }

    /// <inheritdoc />
    public override string ToString() => ReadFrom(0, out _);

    private long KeptTailStart => Math.Max(_tailStart, _written - _tailLimit);

    /// <summary>The character a reader at <paramref name="position"/> read last; a line break where it is gone or there is none.</summary>
    private char CharacterBefore(long position) =>
        position == 0 ? '\n'
        : position <= _head.Length ? _head[(int)position - 1]
        : position - 1 >= _tailStart ? _tail[(int)(position - 1 - _tailStart)]
        : '\n';

    private string Cut(long characters, char before) =>
        $"{(before == '\n' ? "" : "\n")}[... {characters} characters of build output cut here: the log keeps the first {_headLimit} and the last {_tailLimit} ...]\n";

    private void Write(string text)
    {
        lock (_lock)
        {
            var intoHead = Math.Min(text.Length, _headLimit - _head.Length);
            if (intoHead > 0)
            {
                _head.Append(text, 0, intoHead);
            }

            var rest = text.Length - intoHead;
            if (rest >= _tailLimit)
            {
                _tail.Clear().Append(text, text.Length - _tailLimit, _tailLimit);
                _tailStart = _written + text.Length - _tailLimit;
            }
            else if (rest > 0)
            {
                _tail.Append(text, intoHead, rest);
                if (_tail.Length > 2 * _tailLimit)
                {
                    var drop = _tail.Length - _tailLimit;
                    _tail.Remove(0, drop);
                    _tailStart += drop;
                }
            }

            _written += text.Length;
        }
    }
}
