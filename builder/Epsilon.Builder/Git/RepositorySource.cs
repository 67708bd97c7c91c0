using System.Text.RegularExpressions;

namespace Epsilon.Builder.Git;

/// <summary>
/// A repository a deploy names: an https URL, <c>owner/repo</c> (GitHub), a file:// URL or an absolute local path.
/// Keeps the clone URL (which may carry credentials) apart from the display form stored and logged.
/// </summary>
internal sealed partial record RepositorySource(string CloneUrl, string DisplayUrl)
{
    /// <summary>A path or file:// URL on the builder's own disk, which only a builder that allows it deploys.</summary>
    public bool IsLocal => CloneUrl.StartsWith("file:", StringComparison.Ordinal);

    /// <summary>Why a local repository is refused where <see cref="BuilderOptions.AllowLocalRepositories"/> is off.</summary>
    public const string LocalNotAllowed =
        "names a path on the builder's own disk, which this builder does not deploy from: use an https:// Git URL or owner/repo";

    /// <summary>Parses what a user typed; on failure <paramref name="error"/> says why.</summary>
    public static bool TryParse(string? input, out RepositorySource? source, out string? error)
    {
        source = null;
        error = null;
        var text = input?.Trim();
        if (string.IsNullOrEmpty(text))
        {
            error = "is required: an https:// Git URL, owner/repo, a file:// URL or an absolute path";
            return false;
        }

        if (text.Length > 2048 || text.Any(char.IsControl))
        {
            error = "is not a repository URL";
            return false;
        }

        if (ShorthandPattern().IsMatch(text))
        {
            source = new RepositorySource($"https://github.com/{text}.git", $"https://github.com/{text}");
            return true;
        }

        if (text.StartsWith('/'))
        {
            var full = Path.GetFullPath(text);
            source = new RepositorySource(new Uri(full).AbsoluteUri, full);
            return true;
        }

        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri))
        {
            // Quoted without its user part: what failed to parse may still hold a password.
            error = $"'{UserInfoPattern().Replace(text, "$1***@")}' is not a repository: use an https:// Git URL, owner/repo, a file:// URL or an absolute path";
            return false;
        }

        switch (uri.Scheme)
        {
            case "https" when IsLinkLocal(uri):
                error = $"'{uri.Host}' is a link-local address (169.254.0.0/16, fe80::/10), where the cloud's metadata service answers: a builder never fetches from one";
                return false;
            case "https" when !string.IsNullOrEmpty(uri.Host):
                // An international host as the punycode git resolves, so a look-alike of a known host (g\u0456thub.com) shows as what it is.
                var ascii = uri.HostNameType == UriHostNameType.Dns && uri.Host != uri.IdnHost ? new UriBuilder(uri) { Host = uri.IdnHost }.Uri : uri;
                var display = new UriBuilder(ascii) { UserName = "", Password = "" }.Uri.AbsoluteUri;
                source = new RepositorySource(ascii.AbsoluteUri, display);
                return true;
            case "file" when string.IsNullOrEmpty(uri.Host):
                source = new RepositorySource(uri.AbsoluteUri, uri.LocalPath);
                return true;
            default:
                error = $"scheme '{uri.Scheme}' is not supported: use https://, file:// or an absolute path";
                return false;
        }
    }

    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9-]{0,38}/[A-Za-z0-9._-]{1,100}\z", RegexOptions.CultureInvariant)]
    private static partial Regex ShorthandPattern();

    [GeneratedRegex(@"^([A-Za-z][A-Za-z0-9+.-]*://)[^/@]*@", RegexOptions.CultureInvariant)]
    private static partial Regex UserInfoPattern();

    private static bool IsLinkLocal(Uri uri)
    {
        if (uri.HostNameType is not (UriHostNameType.IPv4 or UriHostNameType.IPv6) || !System.Net.IPAddress.TryParse(uri.DnsSafeHost, out var address))
        {
            return false;
        }

        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        return address.IsIPv6LinkLocal || (address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork && address.GetAddressBytes() is [169, 254, _, _]);
    }
}
