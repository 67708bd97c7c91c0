using System.Text;
using System.Text.Json;

namespace Epsilon.Cli.Api;

/// <summary>Reads the platform's error shape, <c>{"error": {"code", "message", "field", "details"}}</c>, into a message.</summary>
internal static class ApiError
{
    public static string Describe(int status, string body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            if (document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.Object)
            {
                var text = new StringBuilder();
                text.Append(Text(error, "message") ?? "the request failed");
                if (Text(error, "field") is { } field)
                {
                    text.Append(" (field '").Append(field).Append("')");
                }

                text.Append(" [").Append(status).Append(' ').Append(Text(error, "code") ?? "Error").Append(']');
                if (error.TryGetProperty("details", out var details) && details.ValueKind == JsonValueKind.Array)
                {
                    foreach (var detail in details.EnumerateArray())
                    {
                        text.Append("\n  ");
                        if (Text(detail, "key") is { } key)
                        {
                            text.Append(key);
                            if (detail.TryGetProperty("line", out var line) && line.ValueKind == JsonValueKind.Number)
                            {
                                text.Append(" (line ").Append(line.GetInt32()).Append(')');
                            }

                            text.Append(": ");
                        }

                        text.Append(Text(detail, "message"));
                    }
                }

                return text.ToString();
            }
        }
        catch (JsonException)
        {
        }

        return status switch
        {
            401 => "the builder refused the token (401): run 'epsilon login' with a valid one",
            403 => "the token lacks the scope this needs (403)",
            _ => $"the request failed with status {status}",
        };
    }

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
