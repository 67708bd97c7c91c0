namespace Epsilon.EndToEnd.Tests.Corpus;

/// <summary>
/// The answer one bad input must get: its status and, for the platform's own JSON errors, the error's code, a fragment of
/// its message and the field it names. <see cref="Hidden"/> are strings of the input that must appear nowhere in the answer.
/// </summary>
/// <param name="Status">The HTTP status.</param>
/// <param name="Code">The error's code; null where Kestrel answers before the platform (414, 431, 400 of a malformed request).</param>
/// <param name="Message">A fragment of the error's message.</param>
/// <param name="Field">The request field the error names, where the API names one.</param>
internal sealed record Expected(int Status, string? Code, string? Message = null, string? Field = null)
{
    public IReadOnlyList<string> Hidden { get; init; } = [];
}
