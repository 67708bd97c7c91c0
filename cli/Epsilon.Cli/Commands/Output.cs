using System.Globalization;
using System.Text.Json;

namespace Epsilon.Cli.Commands;

/// <summary>Small helpers the verbs print with.</summary>
internal static class Output
{
    /// <summary>Writes <paramref name="value"/> as indented JSON on standard output.</summary>
    public static async Task JsonAsync(CliContext context, JsonElement value)
    {
        await context.Output.WriteLineAsync(JsonSerializer.Serialize(value, CliJsonContext.Default.JsonElement));
        await context.Output.FlushAsync();
    }

    /// <summary>A property as text: strings as they are, numbers and booleans invariantly, absent or null as empty.</summary>
    public static string Text(JsonElement element, string name)
    {
        if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty(name, out var value))
        {
            return "";
        }

        return value.ValueKind switch
        {
            JsonValueKind.String => value.GetString() ?? "",
            JsonValueKind.Number => value.GetRawText(),
            JsonValueKind.True => "true",
            JsonValueKind.False => "false",
            JsonValueKind.Array => string.Join(", ", value.EnumerateArray().Select(v => v.ValueKind == JsonValueKind.String ? v.GetString() : v.GetRawText())),
            _ => "",
        };
    }

    /// <summary>A timestamp property as <c>2026-12-03 15:39:47Z</c>, in UTC.</summary>
    public static string Time(JsonElement element, string name) =>
        DateTimeOffset.TryParse(Text(element, name), CultureInfo.InvariantCulture, DateTimeStyles.None, out var time)
            ? time.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture)
            : Text(element, name);

    public static string Milliseconds(TimeSpan elapsed) => elapsed.TotalMilliseconds.ToString("0", CultureInfo.InvariantCulture) + " ms";
}
