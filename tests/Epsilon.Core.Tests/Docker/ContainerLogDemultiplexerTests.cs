using System.Buffers.Binary;
using System.Text;

namespace Epsilon.Core.Docker;

public sealed class ContainerLogDemultiplexerTests
{
    [Fact]
    public async Task Lines_split_across_frames_and_frames_holding_several_lines_come_out_whole()
    {
        using var stream = Frames(
            (1, "first li"),
            (2, "error one\nerror "),
            (1, "ne\r\nsecond\nthi"),
            (2, "two\n"),
            (1, "rd, no line break"));

        var lines = await ReadAsync(stream);

        Assert.Equal(
            [
                (ContainerLogStream.Stderr, "error one"),
                (ContainerLogStream.Stdout, "first line"),
                (ContainerLogStream.Stdout, "second"),
                (ContainerLogStream.Stderr, "error two"),
                (ContainerLogStream.Stdout, "third, no line break"),
            ],
            lines.Select(line => (line.Stream, line.Text)));
    }

    [Fact]
    public async Task Multi_byte_characters_split_between_frames_decode_correctly()
    {
        var bytes = Encoding.UTF8.GetBytes("héllo ✓\n");
        using var stream = Frames((1, bytes[..2]), (1, bytes[2..8]), (1, bytes[8..]));

        var line = Assert.Single(await ReadAsync(stream));

        Assert.Equal("héllo ✓", line.Text);
    }

    [Fact]
    public async Task An_empty_stream_has_no_lines_and_empty_lines_are_kept()
    {
        Assert.Empty(await ReadAsync(new MemoryStream()));

        using var stream = Frames((1, "\n\nx\n"));
        Assert.Equal(["", "", "x"], (await ReadAsync(stream)).Select(line => line.Text));
    }

    [Fact]
    public async Task A_raw_stream_of_a_TTY_container_is_rejected()
    {
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes("plain output of a TTY\n"));

        await Assert.ThrowsAsync<InvalidDataException>(() => ReadAsync(stream));
    }

    private static async Task<List<ContainerLogLine>> ReadAsync(Stream stream)
    {
        var lines = new List<ContainerLogLine>();
        await foreach (var line in ContainerLogDemultiplexer.ReadLinesAsync(stream))
        {
            lines.Add(line);
        }

        return lines;
    }

    private static MemoryStream Frames(params (byte Type, string Payload)[] frames) =>
        Frames([.. frames.Select(frame => (frame.Type, Encoding.UTF8.GetBytes(frame.Payload)))]);

    private static MemoryStream Frames(params (byte Type, byte[] Payload)[] frames)
    {
        var stream = new MemoryStream();
        foreach (var (type, payload) in frames)
        {
            var header = new byte[8];
            header[0] = type;
            BinaryPrimitives.WriteUInt32BigEndian(header.AsSpan(4), (uint)payload.Length);
            stream.Write(header);
            stream.Write(payload);
        }

        stream.Position = 0;
        return stream;
    }
}
