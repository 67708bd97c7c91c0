using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Epsilon.Runtime.Dotnet;

/// <summary>
/// The container's log: one JSON line per log call on stdout, {"time","level","function","requestId","message"}.
/// Console.Out (level info) and Console.Error (level error) are replaced so that a function's Console.WriteLine is a
/// line too, and ILogger goes through <see cref="JsonLoggerProvider"/>. The request id flows with the call (AsyncLocal),
/// so tasks a call starts keep it; it is null outside calls.
/// </summary>
internal static class JsonLog
{
    private static readonly AsyncLocal<string?> s_requestId = new();
    private static readonly Lock s_lock = new();
    private static readonly JsonWriterOptions s_options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    private static Stream s_stdout = Stream.Null;
    private static string s_function = "";

    public static string? RequestId
    {
        get => s_requestId.Value;
        set => s_requestId.Value = value;
    }

    public static void Install(string function)
    {
        s_function = function;
        s_stdout = Console.OpenStandardOutput();
        Console.SetOut(new LineWriter("info"));
        Console.SetError(new LineWriter("error"));
    }

    public static void Info(string message) => Write("info", message);

    public static void Warn(string message) => Write("warn", message);

    public static void Error(string message) => Write("error", message);

    public static void Write(string level, string message)
    {
        var buffer = new ArrayBufferWriter<byte>(128 + message.Length);
        using (var writer = new Utf8JsonWriter(buffer, s_options))
        {
            writer.WriteStartObject();
            writer.WriteString("time", DateTime.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture));
            writer.WriteString("level", level);
            writer.WriteString("function", s_function);
            writer.WriteString("requestId", RequestId);
            writer.WriteString("message", message);
            writer.WriteEndObject();
        }

        buffer.Write("\n"u8);
        WriteBytes(buffer.WrittenSpan);
    }

    /// <summary>A line as it is (the build-time check's "epsilon: ..." lines), not JSON.</summary>
    public static void WriteRaw(string line, bool error = false)
    {
        var bytes = Encoding.UTF8.GetBytes(line + "\n");
        if (error)
        {
            using var stderr = Console.OpenStandardError();
            stderr.Write(bytes);
            return;
        }

        WriteBytes(bytes);
    }

    private static void WriteBytes(ReadOnlySpan<byte> bytes)
    {
        lock (s_lock)
        {
            s_stdout.Write(bytes);
            s_stdout.Flush();
        }
    }

    /// <summary>A console writer that turns each line (or each WriteLine call) into one log line.</summary>
    private sealed class LineWriter(string level) : TextWriter
    {
        private readonly StringBuilder _pending = new();

        public override Encoding Encoding => Encoding.UTF8;

        public override void Write(char value)
        {
            if (value == '\n')
            {
                Emit();
            }
            else
            {
                _pending.Append(value);
            }
        }

        public override void Write(string? value) => Write(value.AsSpan());

        public override void Write(char[] buffer, int index, int count) => Write(buffer.AsSpan(index, count));

        public override void Write(ReadOnlySpan<char> buffer)
        {
            while (!buffer.IsEmpty)
            {
                var newline = buffer.IndexOf('\n');
                if (newline < 0)
                {
                    _pending.Append(buffer);
                    return;
                }

                _pending.Append(buffer[..newline]);
                Emit();
                buffer = buffer[(newline + 1)..];
            }
        }

        // One WriteLine call is one log call: a message with line breaks stays one line of JSON.
        public override void WriteLine(string? value)
        {
            _pending.Append(value);
            Emit();
        }

        public override void WriteLine(ReadOnlySpan<char> buffer)
        {
            _pending.Append(buffer);
            Emit();
        }

        public override void WriteLine() => Emit();

        private void Emit()
        {
            var length = _pending.Length;
            if (length > 0 && _pending[length - 1] == '\r')
            {
                length--;
            }

            var message = _pending.ToString(0, length);
            _pending.Clear();
            JsonLog.Write(level, message);
        }
    }
}

/// <summary>ILogger lines in the same JSON shape (level: debug, info, warn, error).</summary>
internal sealed class JsonLoggerProvider : Microsoft.Extensions.Logging.ILoggerProvider
{
    public Microsoft.Extensions.Logging.ILogger CreateLogger(string categoryName) => new Logger();

    public void Dispose()
    {
    }

    private sealed class Logger : Microsoft.Extensions.Logging.ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(Microsoft.Extensions.Logging.LogLevel logLevel) => logLevel != Microsoft.Extensions.Logging.LogLevel.None;

        public void Log<TState>(Microsoft.Extensions.Logging.LogLevel logLevel, Microsoft.Extensions.Logging.EventId eventId, TState state,
            Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var message = formatter(state, exception);
            if (exception is not null)
            {
                message = message.Length == 0 ? exception.ToString() : $"{message}\n{exception}";
            }

            JsonLog.Write(logLevel switch
            {
                Microsoft.Extensions.Logging.LogLevel.Trace or Microsoft.Extensions.Logging.LogLevel.Debug => "debug",
                Microsoft.Extensions.Logging.LogLevel.Information => "info",
                Microsoft.Extensions.Logging.LogLevel.Warning => "warn",
                _ => "error",
            }, message);
        }
    }
}
