using System.Text.RegularExpressions;
using Epsilon.Core.Contracts;

namespace Epsilon.Core.Model;

/// <summary>
/// Names of a function's environment variables and secrets: POSIX names (<c>[A-Za-z_][A-Za-z0-9_]*</c>), none starting
/// with <see cref="WrapperEnvironment.ReservedPrefix"/>, so no setting can change how the wrapper runs the function.
/// </summary>
public static partial class VariableName
{
    /// <summary>The longest name accepted.</summary>
    public const int MaxLength = 128;

    /// <summary>Why <paramref name="name"/> cannot be a variable's name; null when it can.</summary>
    public static string? Problem(string? name) => name switch
    {
        null or "" => "a variable needs a name",
        { Length: > MaxLength } => $"'{name[..32]}...' is longer than {MaxLength} characters",
        _ when !Pattern().IsMatch(name) => $"'{name}' is not an environment variable name ([A-Za-z_][A-Za-z0-9_]*)",
        _ when name.StartsWith(WrapperEnvironment.ReservedPrefix, StringComparison.OrdinalIgnoreCase) =>
            $"names starting with {WrapperEnvironment.ReservedPrefix} are reserved for the platform",
        // The wrapper listens where PORT says (its own tests use it); a function moved off the port would never get ready.
        WrapperEnvironment.Port => $"{WrapperEnvironment.Port} is set by the platform",
        _ => null,
    };

    [GeneratedRegex(@"^[A-Za-z_][A-Za-z0-9_]*$", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
