using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Epsilon.Core.Docker;

/// <summary>Reads the daemon's newline-delimited JSON streams (build, pull, push, events).</summary>
internal static class JsonLineReader
{
    public static async IAsyncEnumerable<(T Item, string Line)> ReadAsync<T>(
        Stream stream, JsonTypeInfo<T> typeInfo, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        using var reader = new StreamReader(stream, Encoding.UTF8, detectEncodingFromByteOrderMarks: false, leaveOpen: true);
        while (await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
        {
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            if (JsonSerializer.Deserialize(line, typeInfo) is { } item)
            {
                yield return (item, line);
            }
        }
    }
}
