using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Text;

namespace Epsilon.Core.Docker;

/// <summary>
/// Reads the multiplexed stream of a container without TTY: frames of an 8-byte header (stream type, three
/// zero bytes, big-endian payload size) and a payload. A payload may hold several lines or part of one
/// (the daemon splits long lines), so partial lines are kept per stream until their line break.
/// </summary>
internal static class ContainerLogDemultiplexer
{
    private const int HeaderSize = 8;

    public static async IAsyncEnumerable<ContainerLogLine> ReadLinesAsync(
        Stream stream, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var header = new byte[HeaderSize];
        var payload = new byte[16 * 1024];
        var pending = new[] { new MemoryStream(), new MemoryStream() };
        var lines = new List<ContainerLogLine>();

        while (await ReadHeaderAsync(stream, header, cancellationToken).ConfigureAwait(false))
        {
            if (header[0] > 2 || header[1] != 0 || header[2] != 0 || header[3] != 0)
            {
                throw new InvalidDataException("The log stream is not multiplexed; the container was probably created with a TTY.");
            }

            // Type 0 is stdin, which the daemon only echoes for attach; treat it as output.
            var logStream = header[0] == 2 ? ContainerLogStream.Stderr : ContainerLogStream.Stdout;
            var size = (int)BinaryPrimitives.ReadUInt32BigEndian(header.AsSpan(4));
            if (size > payload.Length)
            {
                payload = new byte[size];
            }

            await stream.ReadExactlyAsync(payload.AsMemory(0, size), cancellationToken).ConfigureAwait(false);
            Split(payload, size, logStream, pending[(int)logStream], lines);
            foreach (var line in lines)
            {
                yield return line;
            }

            lines.Clear();
        }

        // A last line without a line break.
        if (pending[(int)ContainerLogStream.Stdout].Length > 0)
        {
            yield return ToLine(ContainerLogStream.Stdout, pending[(int)ContainerLogStream.Stdout]);
        }

        if (pending[(int)ContainerLogStream.Stderr].Length > 0)
        {
            yield return ToLine(ContainerLogStream.Stderr, pending[(int)ContainerLogStream.Stderr]);
        }
    }

    private static void Split(byte[] payload, int size, ContainerLogStream logStream, MemoryStream pending, List<ContainerLogLine> lines)
    {
        var start = 0;
        while (start < size)
        {
            var newline = Array.IndexOf(payload, (byte)'\n', start, size - start);
            if (newline < 0)
            {
                pending.Write(payload, start, size - start);
                return;
            }

            pending.Write(payload, start, newline - start);
            lines.Add(ToLine(logStream, pending));
            start = newline + 1;
        }
    }

    private static ContainerLogLine ToLine(ContainerLogStream logStream, MemoryStream pending)
    {
        var bytes = pending.GetBuffer().AsSpan(0, (int)pending.Length);
        if (bytes.Length > 0 && bytes[^1] == (byte)'\r')
        {
            bytes = bytes[..^1];
        }

        var line = new ContainerLogLine { Stream = logStream, Text = Encoding.UTF8.GetString(bytes) };
        pending.SetLength(0);
        return line;
    }

    /// <summary>Reads a frame header; false at the end of the stream (a truncated header counts as the end).</summary>
    private static async ValueTask<bool> ReadHeaderAsync(Stream stream, byte[] header, CancellationToken cancellationToken)
    {
        var read = await stream.ReadAtLeastAsync(header, HeaderSize, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
        return read == HeaderSize;
    }
}
