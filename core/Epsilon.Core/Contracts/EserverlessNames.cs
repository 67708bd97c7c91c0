using System.Text.RegularExpressions;

namespace Epsilon.Core.Contracts;

/// <summary>
/// How eserveless names things, which the builder (deploying an <c>.eserveless.yaml</c>) and the gateway (serving
/// <c>/invoke/&lt;project&gt;/&lt;function&gt;</c>) must agree on: a project is <c>&lt;user&gt;-&lt;repo&gt;</c> and its
/// function <c>&lt;name&gt;</c> is the Epsilon function <c>&lt;user&gt;-&lt;repo&gt;-&lt;name&gt;</c>, lower-cased, each run
/// of characters a function name cannot hold replaced by one <c>-</c>.
/// </summary>
public static partial class EserverlessNames
{
    /// <summary>
    /// The project of a repository: <c>https://github.com/User/Repo(.git)</c> or <c>/any/path/user/repo</c> gives
    /// <c>user-repo</c>; null when it has fewer than two path segments or the name would not start with a letter.
    /// </summary>
    public static string? ProjectName(string repository)
    {
        ArgumentNullException.ThrowIfNull(repository);
        var segments = repository.TrimEnd('/').Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (segments.Length < 2)
        {
            return null;
        }

        var repo = segments[^1].EndsWith(".git", StringComparison.Ordinal) ? segments[^1][..^4] : segments[^1];
        var name = Normalize($"{segments[^2]}-{repo}");
        return name.Length > 0 && char.IsAsciiLetterLower(name[0]) ? name : null;
    }

    /// <summary>
    /// The Epsilon function that <paramref name="function"/> of <paramref name="project"/> is. The result may still be no
    /// valid function name (too long, say): check it with <see cref="Model.FunctionName.IsValid"/>.
    /// </summary>
    public static string FunctionName(string project, string function)
    {
        ArgumentNullException.ThrowIfNull(project);
        ArgumentNullException.ThrowIfNull(function);
        return Normalize($"{project}-{function}");
    }

    private static string Normalize(string name) => InvalidCharacters().Replace(name.ToLowerInvariant(), "-").Trim('-');

    [GeneratedRegex("[^a-z0-9-]+", RegexOptions.CultureInvariant)]
    private static partial Regex InvalidCharacters();
}
