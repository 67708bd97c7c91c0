namespace Epsilon.Core.Http;

/// <summary>One error: a stable code, a message for people, and where relevant the request field and the problems found.</summary>
/// <param name="Code">Stable machine-readable code, e.g. <c>FunctionNotFound</c>.</param>
/// <param name="Message">What went wrong, in words a user can act on.</param>
public sealed record ErrorDetail(string Code, string Message)
{
    /// <summary>The request field at fault, if one is.</summary>
    public string? Field { get; init; }

    /// <summary>Every problem found, e.g. each manifest error with its key and line.</summary>
    public IReadOnlyList<ErrorProblem>? Details { get; init; }
}
