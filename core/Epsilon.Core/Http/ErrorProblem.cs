namespace Epsilon.Core.Http;

/// <summary>One of several problems behind an error, with the key and line it points at.</summary>
public sealed record ErrorProblem(string Key, int Line, string Message);
