using System.Text.RegularExpressions;

namespace Epsilon.Core.Manifest;

/// <summary>
/// What a manifest may say for one runtime: the handler forms it accepts (each a regex with <c>file</c> and
/// <c>export</c> groups), whether the handler names a file or a folder, and the <c>style</c> values it knows.
/// The builder reads these from each runtime folder's <c>runtime.json</c>.
/// </summary>
/// <param name="Name">Runtime name, e.g. <c>node</c>.</param>
/// <param name="HandlerPatterns">Accepted handler forms, tried in order.</param>
/// <param name="HandlerExample">A handler written the usual way, for error messages.</param>
/// <param name="HandlerIsDirectory">Whether the handler's file part names a folder (a Go package) rather than a file.</param>
/// <param name="Styles">Allowed values of a function's <c>style</c>; empty when the runtime has none.</param>
public sealed record RuntimeRules(
    string Name,
    IReadOnlyList<HandlerPattern> HandlerPatterns,
    string HandlerExample,
    bool HandlerIsDirectory,
    IReadOnlyCollection<string> Styles)
{
    /// <summary>Splits <paramref name="handler"/> into a safe relative path and an export name.</summary>
    public bool TrySplitHandler(string handler, out string file, out string export)
    {
        file = export = "";
        foreach (var pattern in HandlerPatterns)
        {
            // The whole text, whatever the pattern's anchors: an operator's "$" also matches before a final "\n".
            var match = pattern.Regex.Match(handler);
            if (!match.Success || match.Index != 0 || match.Length != handler.Length)
            {
                continue;
            }

            var path = match.Groups["file"].Value + pattern.FileSuffix;
            var segments = path.Split('/');
            if (path.StartsWith('/') || segments.Any(s => s == "..") || (!HandlerIsDirectory && segments.Any(s => s is "." or "")))
            {
                return false;
            }

            file = path;
            export = match.Groups["export"].Value;
            return export.Length > 0;
        }

        return false;
    }
}
