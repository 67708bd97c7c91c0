namespace Epsilon.Core.Manifest;

/// <summary>One problem in a manifest, pointing at the key and line a user must fix.</summary>
/// <param name="Key">Dotted path of the key, e.g. <c>functions.hello.timeout</c>.</param>
/// <param name="Line">1-based line in the manifest file; 0 when the file itself is the problem.</param>
/// <param name="Message">What is wrong, in words a user can act on.</param>
public sealed record ManifestError(string Key, int Line, string Message)
{
    /// <inheritdoc />
    public override string ToString() => Line > 0 ? $"line {Line}: {Key}: {Message}" : $"{Key}: {Message}";
}
