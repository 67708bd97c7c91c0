using Epsilon.Builder.Git;
using Epsilon.Core.Auth;

namespace Epsilon.Builder.Auth;

/// <summary>What a new token is to allow, checked the same for the API and the local command.</summary>
internal sealed record TokenGrant(string Name, TokenScope Scope, IReadOnlyList<string> Repositories)
{
    /// <summary>Checks a request; on failure <paramref name="error"/> names the field and <paramref name="field"/> is it.</summary>
    public static bool TryCreate(string? name, string? scope, IReadOnlyList<string>? repositories, out TokenGrant? grant, out string? field,
        out string? error)
    {
        grant = null;
        (field, error) = (null, null);
        name = name?.Trim();
        if (string.IsNullOrEmpty(name) || name.Length > 100 || name.Any(char.IsControl))
        {
            (field, error) = ("name", "name is required: up to 100 printable characters");
            return false;
        }

        if (!Enum.TryParse<TokenScope>(scope, ignoreCase: true, out var parsed) || !Enum.IsDefined(parsed) || scope!.Any(char.IsDigit))
        {
            (field, error) = ("scope", "scope must be read, deploy or admin");
            return false;
        }

        var limited = new List<string>();
        foreach (var repository in repositories ?? [])
        {
            if (!RepositorySource.TryParse(repository, out var source, out var problem))
            {
                (field, error) = ("repositories", $"repository {problem}");
                return false;
            }

            // Kept as deploys display them, with no credentials, so a deploy's repository compares equal.
            limited.Add(source!.DisplayUrl);
        }

        grant = new TokenGrant(name, parsed, limited.Distinct(StringComparer.Ordinal).ToList());
        return true;
    }

    /// <summary>A scope as the API writes it.</summary>
    public static string ScopeName(TokenScope scope) => scope.ToString().ToLowerInvariant();
}
