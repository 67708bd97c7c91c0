using System.Text.RegularExpressions;

namespace Epsilon.Core.Manifest;

/// <summary>Runtime rules as wrapper-runtime/node/runtime.json declares them.</summary>
internal static class TestRuntimes
{
    public static readonly RuntimeRules Node = new(
        "node",
        [
            new HandlerPattern(new Regex(@"^(?<file>[A-Za-z0-9_][A-Za-z0-9._/-]*\.(js|mjs|cjs)):(?<export>[A-Za-z_$][A-Za-z0-9_$]*)\z")),
            new HandlerPattern(new Regex(@"^(?<file>[A-Za-z0-9_][A-Za-z0-9_/-]*)\.(?<export>[A-Za-z_$][A-Za-z0-9_$]*)\z"), ".js"),
        ],
        "index.js:hello",
        HandlerIsDirectory: false,
        ["spec", "lambda", "workers", "plain"]);
}
