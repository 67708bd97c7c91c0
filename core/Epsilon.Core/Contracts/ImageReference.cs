using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text.RegularExpressions;

namespace Epsilon.Core.Contracts;

/// <summary>
/// An image reference as Docker reads one, <c>[registry/]repository[:tag][@digest]</c>: what the builder tags and
/// pushes (<c>127.0.0.1:5000/hello:v3</c>) and the gateway pulls. The first path component is the registry only when it
/// has a <c>.</c> or a <c>:</c>, is <c>localhost</c> or has upper-case letters, as Docker decides; so
/// <c>127.0.0.1:5000/hello</c> is the repository <c>hello</c> of the registry <c>127.0.0.1:5000</c>, without a tag.
/// </summary>
public sealed partial record ImageReference
{
    /// <summary>The tag Docker assumes when a reference has none.</summary>
    public const string DefaultTag = "latest";

    // Docker's own bound (distribution/reference): the name, registry included, at most 255 characters.
    private const int MaxNameLength = 255;

    // A name, a 128-character tag and a digest fit well within it; longer text is refused before any pattern runs.
    private const int MaxReferenceLength = 512;

    private ImageReference(string? registry, string repository, string? tag, string? digest)
    {
        Registry = registry;
        Repository = repository;
        Tag = tag;
        Digest = digest;
    }

    /// <summary>The registry's host and port (<c>127.0.0.1:5000</c>, <c>[::1]:5000</c>), or null for Docker Hub.</summary>
    public string? Registry { get; }

    /// <summary>The repository's path in its registry (<c>hello</c>, <c>library/debian</c>).</summary>
    public string Repository { get; }

    /// <summary>The tag (<c>v3</c>), or null when the reference has none.</summary>
    public string? Tag { get; }

    /// <summary>The content digest (<c>sha256:…</c>), or null when the reference has none.</summary>
    public string? Digest { get; }

    /// <summary>The registry and repository without tag or digest: what the Engine API's pull and push take as the image's name.</summary>
    public string Name => Registry is null ? Repository : $"{Registry}/{Repository}";

    /// <summary>
    /// What the Engine API's pull and push take as the tag: the digest when pinned, else the tag, else
    /// <see cref="DefaultTag"/> (an empty tag would pull every tag of the repository).
    /// </summary>
    public string TagOrDigest => Digest ?? Tag ?? DefaultTag;

    /// <summary>The image of version <paramref name="version"/> of function <paramref name="function"/>: <c>&lt;registry&gt;/&lt;function&gt;:v&lt;N&gt;</c>.</summary>
    /// <exception cref="FormatException">The registry address or the function name cannot make an image reference.</exception>
    public static ImageReference ForFunction(string registry, string function, int version)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(version);
        var reference = Parse(string.Create(CultureInfo.InvariantCulture, $"{registry}/{function}:v{version}"));
        return reference.Registry == registry
            ? reference
            : throw new FormatException($"'{registry}' is not a registry address (host[:port], such as 127.0.0.1:5000)");
    }

    /// <summary>Reads a reference.</summary>
    /// <exception cref="FormatException"><paramref name="text"/> is no image reference.</exception>
    public static ImageReference Parse(string text) =>
        TryParse(text, out var reference) ? reference : throw new FormatException($"'{text}' is not an image reference");

    /// <summary>Reads a reference; false when <paramref name="text"/> is no image reference.</summary>
    public static bool TryParse([NotNullWhen(true)] string? text, [NotNullWhen(true)] out ImageReference? reference)
    {
        reference = null;
        if (string.IsNullOrEmpty(text) || text.Length > MaxReferenceLength)
        {
            return false;
        }

        var name = text;
        string? digest = null;
        var at = name.IndexOf('@', StringComparison.Ordinal);
        if (at >= 0)
        {
            digest = name[(at + 1)..];
            name = name[..at];
            if (!DigestPattern().IsMatch(digest))
            {
                return false;
            }
        }

        // A colon after the last slash starts the tag; one before it belongs to the registry's port.
        string? tag = null;
        var colon = name.LastIndexOf(':');
        if (colon > name.LastIndexOf('/'))
        {
            tag = name[(colon + 1)..];
            name = name[..colon];
            if (!TagPattern().IsMatch(tag))
            {
                return false;
            }
        }

        string? registry = null;
        var repository = name;
        var slash = name.IndexOf('/', StringComparison.Ordinal);
        if (slash > 0 && IsRegistryLike(name[..slash]))
        {
            registry = name[..slash];
            repository = name[(slash + 1)..];
            if (!RegistryPattern().IsMatch(registry))
            {
                return false;
            }
        }

        if (name.Length > MaxNameLength || !RepositoryPattern().IsMatch(repository))
        {
            return false;
        }

        reference = new ImageReference(registry, repository, tag, digest);
        return true;
    }

    /// <summary>Whether <paramref name="address"/> is a registry's <c>host[:port]</c> that Docker reads as one in front of a repository.</summary>
    internal static bool IsRegistryAddress(string? address) =>
        !string.IsNullOrEmpty(address) && TryParse(address + "/image", out var reference) && reference.Registry == address;

    /// <summary><c>[registry/]repository[:tag][@digest]</c>.</summary>
    public override string ToString() => Name + (Tag is null ? "" : ":" + Tag) + (Digest is null ? "" : "@" + Digest);

    // Docker's rule (distribution/reference's splitDockerDomain): anything else is the first path component of Docker Hub.
    private static bool IsRegistryLike(string component) =>
        component.Contains('.', StringComparison.Ordinal) || component.Contains(':', StringComparison.Ordinal)
        || component == "localhost" || component.Any(char.IsAsciiLetterUpper);

    [GeneratedRegex(@"^(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*|\[[0-9A-Fa-f:.]+\])(?::[0-9]{1,5})?\z",
        RegexOptions.CultureInvariant)]
    private static partial Regex RegistryPattern();

    [GeneratedRegex(@"^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*\z", RegexOptions.CultureInvariant)]
    private static partial Regex RepositoryPattern();

    [GeneratedRegex(@"^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}\z", RegexOptions.CultureInvariant)]
    private static partial Regex TagPattern();

    [GeneratedRegex(@"^[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9A-Fa-f]{32,}\z", RegexOptions.CultureInvariant)]
    private static partial Regex DigestPattern();
}
