using System.Text.Json;

namespace Epsilon.EndToEnd.Tests.Infrastructure;

/// <summary>
/// Checks that a JSON answer holds an expected part: every property of an expected object must be there with a matching
/// value (the answer may have more), arrays and values must be equal. Lets a runtime's row state the fields its examples
/// answer in their own shape (a query value as a string or an array, a body as text or parsed JSON).
/// </summary>
internal static class JsonSubset
{
    public static void AssertContains(string expected, JsonElement actual)
    {
        using var document = JsonDocument.Parse(expected);
        var problem = Compare(document.RootElement, actual, "$");
        Assert.True(problem is null, $"{problem}\nin the answer {actual}");
    }

    private static string? Compare(JsonElement expected, JsonElement actual, string path)
    {
        if (expected.ValueKind != JsonValueKind.Object)
        {
            return JsonElement.DeepEquals(expected, actual) ? null : $"{path}: expected {expected.GetRawText()}, got {actual.GetRawText()}";
        }

        if (actual.ValueKind != JsonValueKind.Object)
        {
            return $"{path}: expected an object, got {actual.GetRawText()}";
        }

        foreach (var property in expected.EnumerateObject())
        {
            var problem = actual.TryGetProperty(property.Name, out var value)
                ? Compare(property.Value, value, $"{path}.{property.Name}")
                : $"{path}.{property.Name}: missing";
            if (problem is not null)
            {
                return problem;
            }
        }

        return null;
    }
}
