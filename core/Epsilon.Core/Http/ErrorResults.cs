using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Epsilon.Core.Http;

/// <summary>Builds error results in the shared shape.</summary>
public static class ErrorResults
{
    /// <summary>An error result with <paramref name="statusCode"/>.</summary>
    public static JsonHttpResult<ErrorBody> Create(int statusCode, string code, string message, string? field = null,
        IReadOnlyList<ErrorProblem>? details = null) =>
        TypedResults.Json(new ErrorBody(new ErrorDetail(code, message) { Field = field, Details = details }),
            HttpJsonContext.Default.ErrorBody, statusCode: statusCode);
}
