using System.Text.RegularExpressions;
using Epsilon.Core.Contracts;
using Epsilon.Core.Model;
using YamlDotNet.RepresentationModel;

namespace Epsilon.Core.Manifest;

/// <summary>
/// Reads eserveless's <c>.eserveless.yaml</c> (<c>repo</c>, <c>runtime: node|golang</c>,
/// <c>functions: [{name, type: http|cron, schedule, meta}]</c>) into an Epsilon manifest, so such a repository deploys
/// unchanged: Node's <c>functions.js</c> exports plain <c>(req, res)</c> handlers, Go's root package
/// <c>func Name(w, r)</c> handlers; each function is named as <see cref="EserverlessNames"/> says.
/// </summary>
public static partial class EserverlessManifestReader
{
    /// <summary>The manifest's file name at the repository root.</summary>
    public const string FileName = ".eserveless.yaml";

    /// <summary>Reads the manifest.</summary>
    /// <param name="yaml">The file's text.</param>
    /// <param name="repository">The repository deployed, for the project name when the manifest has no <c>repo</c>.</param>
    /// <param name="runtimes">Runtimes this platform has.</param>
    /// <param name="pathExists">Whether a path relative to the repository root exists (as a folder when the flag says so).</param>
    /// <param name="limits">Bounds on size, nesting, aliases and parse time; <see cref="ManifestLimits.Default"/> when null.</param>
    /// <exception cref="ManifestException">The manifest has problems.</exception>
    public static EserverlessProject Read(string yaml, string repository, IReadOnlyDictionary<string, RuntimeRules> runtimes,
        Func<string, bool, bool> pathExists, ManifestLimits? limits = null)
    {
        var errors = new List<ManifestError>();
        if (ManifestYaml.LoadRoot(FileName, yaml, limits) is not YamlMappingNode root)
        {
            throw new ManifestException(FileName, [new ManifestError("(root)", 1, "must be a mapping with repo, runtime and functions")]);
        }

        var repo = Text(root, "repo") ?? repository;
        var project = EserverlessNames.ProjectName(repo);
        if (project is null)
        {
            errors.Add(new ManifestError("repo", Line(root, "repo"), $"'{repo}' does not end in <user>/<repo>"));
        }

        var runtime = Text(root, "runtime") switch
        {
            "node" => "node",
            "golang" or "go" => "go",
            var other => other,
        };
        if (runtime is null || !runtimes.ContainsKey(runtime))
        {
            errors.Add(new ManifestError("runtime", Line(root, "runtime"),
                $"'{runtime}' is not an eserveless runtime this platform has: use node or golang"));
        }

        var functions = new List<ManifestFunction>();
        var scheduled = new List<ScheduledFunction>();
        var named = new Dictionary<string, string>(StringComparer.Ordinal);
        if (!root.Children.TryGetValue(new YamlScalarNode("functions"), out var list) || list is not YamlSequenceNode items || items.Children.Count == 0)
        {
            errors.Add(new ManifestError("functions", Line(root, "functions"), "must list at least one function"));
        }
        else
        {
            for (var i = 0; i < items.Children.Count; i++)
            {
                var path = $"functions[{i}]";
                if (items.Children[i] is not YamlMappingNode item || Text(item, "name") is not { } name || !ExportPattern().IsMatch(name))
                {
                    errors.Add(new ManifestError(path, (int)items.Children[i].Start.Line, "needs a 'name' that is an exported function name"));
                    continue;
                }

                var functionName = EserverlessNames.FunctionName(project ?? "", name);
                if (project is not null && !FunctionName.IsValid(functionName))
                {
                    errors.Add(new ManifestError($"{path}.name", Line(item, "name"), $"'{functionName}' is not a valid function name (at most 63 characters)"));
                    continue;
                }

                // Names differing only in case or in characters a function name cannot hold become one function.
                if (project is not null && !named.TryAdd(functionName, name))
                {
                    errors.Add(new ManifestError($"{path}.name", Line(item, "name"), $"'{name}' and '{named[functionName]}' are both named '{functionName}'"));
                    continue;
                }

                switch (Text(item, "type") ?? "http")
                {
                    case "http":
                        if (runtime is "node" or "go")
                        {
                            var file = runtime == "node" ? "functions.js" : ".";
                            if (!pathExists(file, runtime == "go"))
                            {
                                errors.Add(new ManifestError($"{path}.name", Line(item, "name"),
                                    runtime == "node" ? "the repository has no functions.js" : "the repository has no Go package at its root"));
                            }

                            functions.Add(new ManifestFunction(functionName, new FunctionConfig
                            {
                                Runtime = runtime,
                                HandlerFile = file,
                                HandlerExport = name,
                                Style = runtime == "node" ? "plain" : null,
                            }));
                        }

                        break;
                    case "cron":
                        scheduled.Add(new ScheduledFunction(functionName, Text(item, "schedule") ?? ""));
                        break;
                    case var type:
                        errors.Add(new ManifestError($"{path}.type", Line(item, "type"), $"'{type}' is not http or cron"));
                        break;
                }
            }
        }

        if (errors.Count > 0)
        {
            throw new ManifestException(FileName, errors);
        }

        return new EserverlessProject(project!, new EpsilonManifest(functions), scheduled);
    }

    private static string? Text(YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var value) && value is YamlScalarNode { Value: { Length: > 0 } text } ? text : null;

    private static int Line(YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var value) ? (int)value.Start.Line : (int)node.Start.Line;

    [GeneratedRegex(@"^[A-Za-z_][A-Za-z0-9_]*\z", RegexOptions.CultureInvariant)]
    private static partial Regex ExportPattern();
}
