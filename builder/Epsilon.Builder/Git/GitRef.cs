namespace Epsilon.Builder.Git;

/// <summary>
/// What a deploy may name as its ref: a branch, tag or commit as <c>git check-ref-format</c> allows one, and nothing git
/// would read as an option (<c>--upload-pack=...</c>), a refspec (<c>main:refs/heads/x</c>), a reflog selector
/// (<c>HEAD@{1}</c>) or a path (<c>../../</c>).
/// </summary>
internal static class GitRef
{
    /// <summary>The longest ref accepted.</summary>
    public const int MaxLength = 255;

    /// <summary>Whether <paramref name="gitRef"/> may be fetched.</summary>
    public static bool IsValid(string gitRef) =>
        gitRef.Length is > 0 and <= MaxLength
        && gitRef[0] is not ('-' or '/')
        && gitRef[^1] is not ('/' or '.')
        && gitRef != "@"
        && !gitRef.Any(c => char.IsControl(c) || c is ' ' or '~' or '^' or ':' or '?' or '*' or '[' or '\\')
        && !gitRef.Contains("..", StringComparison.Ordinal)
        && !gitRef.Contains("@{", StringComparison.Ordinal)
        && gitRef.Split('/').All(part => part.Length > 0 && part[0] != '.' && !part.EndsWith(".lock", StringComparison.Ordinal));
}
