using System.Net;
using System.Text.Json;

namespace Epsilon.EndToEnd.Tests.Infrastructure;

/// <summary>Checks of the builder's error answers, <c>{"error": {"code", "message", "field"}}</c>.</summary>
internal static class ApiErrors
{
    /// <summary>
    /// Asserts <paramref name="answer"/> is <paramref name="status"/> with <paramref name="code"/>, a message containing
    /// <paramref name="message"/> and the <paramref name="field"/> named, each when given.
    /// </summary>
    public static void AssertError((HttpStatusCode Status, JsonElement Body) answer, HttpStatusCode status, string code, string? message = null,
        string? field = null)
    {
        Assert.True(answer.Status == status, $"expected {status}, got {answer.Status}: {answer.Body}");
        var error = answer.Body.GetProperty("error");
        Assert.Equal(code, error.GetProperty("code").GetString());
        if (message is not null)
        {
            Assert.Contains(message, error.GetProperty("message").GetString(), StringComparison.Ordinal);
        }

        if (field is not null)
        {
            Assert.Equal(field, error.GetProperty("field").GetString());
        }
    }
}
