namespace Epsilon.Builder.Git;

/// <summary>A repository could not be fetched: missing, unreachable, too big or too slow.</summary>
internal sealed class GitFetchException(string message) : Exception(message);
