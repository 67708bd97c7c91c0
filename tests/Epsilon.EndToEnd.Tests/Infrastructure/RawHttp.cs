using System.Net.Sockets;
using System.Text;

namespace Epsilon.EndToEnd.Tests.Infrastructure;

/// <summary>
/// HTTP/1.1 written by hand on a socket: the request line and headers go out exactly as given, where HttpClient would
/// normalize the path (<c>/%2e%2e/</c>, <c>//fn</c>) or refuse the header.
/// </summary>
internal static class RawHttp
{
    /// <summary>Sends <paramref name="head"/> (request line and headers, without the blank line) and reads the answer until the server closes.</summary>
    public static async Task<RawAnswer> SendAsync(Uri server, string head)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(server.Host, server.Port);
        var stream = tcp.GetStream();
        var answer = ReadAnswerAsync(stream);
        try
        {
            await stream.WriteAsync(Encoding.UTF8.GetBytes(head + "\r\nConnection: close\r\n\r\n"));
        }
        catch (IOException)
        {
            // The server answered and closed before the head was all written (a head over its limits).
        }

        return RawAnswer.Parse(await answer.WaitAsync(TimeSpan.FromSeconds(30)));
    }

    /// <summary>Every byte the server sends until it closes or resets the connection.</summary>
    public static async Task<byte[]> ReadAnswerAsync(Stream stream)
    {
        var received = new MemoryStream();
        var buffer = new byte[8192];
        try
        {
            int read;
            while ((read = await stream.ReadAsync(buffer)) > 0)
            {
                received.Write(buffer, 0, read);
            }
        }
        catch (IOException)
        {
            // Reset after the answer arrived.
        }

        return received.ToArray();
    }
}

/// <summary>An answer read by <see cref="RawHttp"/>: its status, headers (names lower-case) and body, de-chunked.</summary>
internal sealed record RawAnswer(int Status, IReadOnlyDictionary<string, string> Headers, string Body)
{
    public static RawAnswer Parse(byte[] bytes)
    {
        var end = bytes.AsSpan().IndexOf("\r\n\r\n"u8);
        Assert.True(end > 0, "no HTTP answer: " + Encoding.UTF8.GetString(bytes));
        var lines = Encoding.ASCII.GetString(bytes, 0, end).Split("\r\n");
        var headers = lines.Skip(1).Select(l => l.Split(':', 2)).ToDictionary(p => p[0].Trim().ToLowerInvariant(), p => p[1].Trim());
        var body = bytes.AsSpan(end + 4).ToArray();
        if (headers.TryGetValue("transfer-encoding", out var encoding) && encoding.Contains("chunked", StringComparison.OrdinalIgnoreCase))
        {
            body = Dechunk(body);
        }

        return new RawAnswer(int.Parse(lines[0].Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture), headers, Encoding.UTF8.GetString(body));
    }

    private static byte[] Dechunk(byte[] chunked)
    {
        var body = new MemoryStream();
        var at = 0;
        while (at < chunked.Length)
        {
            var lineEnd = chunked.AsSpan(at).IndexOf("\r\n"u8);
            var size = Convert.ToInt32(Encoding.ASCII.GetString(chunked, at, lineEnd).Split(';')[0], 16);
            if (size == 0)
            {
                break;
            }

            body.Write(chunked, at + lineEnd + 2, size);
            at += lineEnd + 2 + size + 2;
        }

        return body.ToArray();
    }
}
