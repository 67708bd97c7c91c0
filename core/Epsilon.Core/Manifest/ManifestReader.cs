using System.Globalization;
using System.Text.RegularExpressions;
using Epsilon.Core.Contracts;
using Epsilon.Core.Model;
using YamlDotNet.RepresentationModel;

namespace Epsilon.Core.Manifest;

/// <summary>
/// Reads <c>epsilon.yaml</c> strictly: every problem (unknown key, bad value, missing handler file) is
/// collected with its key and line, so one failed deploy tells the user everything to fix.
/// </summary>
public static partial class ManifestReader
{
    private static readonly HashSet<string> s_rootKeys = ["runtime", "functions"];

    private static readonly HashSet<string> s_functionKeys =
        ["handler", "runtime", "style", "timeout", "memory", "cpu", "concurrency", "maxContainers", "minWarm", "idleTimeout", "env", "public"];

    /// <summary>Reads a manifest.</summary>
    /// <param name="yaml">The file's text.</param>
    /// <param name="runtimes">Runtimes this platform has, by name.</param>
    /// <param name="pathExists">Whether a path relative to the repository root names a file (or, for a directory handler, a folder).</param>
    /// <param name="limits">Bounds on size, nesting, aliases and parse time; <see cref="ManifestLimits.Default"/> when null.</param>
    /// <exception cref="ManifestException">The manifest has problems; all are listed.</exception>
    public static EpsilonManifest Read(string yaml, IReadOnlyDictionary<string, RuntimeRules> runtimes, Func<string, bool, bool> pathExists,
        ManifestLimits? limits = null)
    {
        var knownRuntimes = runtimes.Keys.Order(StringComparer.Ordinal).ToList();
        var errors = new List<ManifestError>();
        if (ManifestYaml.LoadRoot(EpsilonManifest.FileName, yaml, limits) is not YamlMappingNode root)
        {
            throw new ManifestException(EpsilonManifest.FileName,
                [new ManifestError("(root)", 1, "the manifest must be a mapping with 'runtime' and 'functions'")]);
        }

        string? defaultRuntime = null;
        YamlMappingNode? functionsNode = null;
        foreach (var (keyNode, valueNode) in root.Children)
        {
            if (KeyOf(keyNode, "(root)", errors) is not { } key)
            {
                continue;
            }

            switch (key)
            {
                case "runtime":
                    defaultRuntime = ReadRuntime(valueNode, "runtime", knownRuntimes, errors);
                    break;
                case "functions":
                    if (valueNode is YamlMappingNode mapping)
                    {
                        functionsNode = mapping;
                    }
                    else
                    {
                        errors.Add(new ManifestError("functions", Line(valueNode), "must be a mapping of function name to its settings"));
                    }

                    break;
                default:
                    errors.Add(UnknownKey(key, keyNode, s_rootKeys));
                    break;
            }
        }

        var functions = new List<ManifestFunction>();
        if (functionsNode is null)
        {
            if (!errors.Any(e => e.Key == "functions"))
            {
                errors.Add(new ManifestError("functions", Line(root), "is missing: declare at least one function"));
            }
        }
        else if (functionsNode.Children.Count == 0)
        {
            errors.Add(new ManifestError("functions", Line(functionsNode), "declares no function"));
        }
        else
        {
            foreach (var (nameNode, settingsNode) in functionsNode.Children)
            {
                if (nameNode is not YamlScalarNode name)
                {
                    errors.Add(new ManifestError("functions", Line(nameNode), "a function name must be a plain name, not a list or mapping"));
                    continue;
                }

                var function = ReadFunction(name, settingsNode, defaultRuntime, runtimes, pathExists, errors);
                if (function is not null)
                {
                    functions.Add(function);
                }
            }
        }

        if (errors.Count > 0)
        {
            throw new ManifestException(EpsilonManifest.FileName, errors);
        }

        return new EpsilonManifest(functions);
    }

    private static ManifestFunction? ReadFunction(
        YamlScalarNode nameNode,
        YamlNode settingsNode,
        string? defaultRuntime,
        IReadOnlyDictionary<string, RuntimeRules> runtimes,
        Func<string, bool, bool> pathExists,
        List<ManifestError> errors)
    {
        var knownRuntimes = runtimes.Keys.Order(StringComparer.Ordinal).ToList();
        var name = nameNode.Value ?? "";
        var prefix = $"functions.{name}";
        var errorCount = errors.Count;
        if (name == FunctionName.Reserved)
        {
            errors.Add(new ManifestError(prefix, Line(nameNode),
                $"'{name}' is reserved: the gateway's /{name}/ route serves eserveless projects; choose another name"));
        }
        else if (!FunctionName.IsValid(name))
        {
            errors.Add(new ManifestError(prefix, Line(nameNode),
                $"'{name}' is not a valid function name: use 1 to 63 lower-case letters, digits and '-', starting with a letter"));
        }

        if (settingsNode is not YamlMappingNode settings)
        {
            errors.Add(new ManifestError(prefix, Line(settingsNode), "must be a mapping with at least 'handler'"));
            return null;
        }

        string? runtime = defaultRuntime;
        string? handlerFile = null, handlerExport = null;
        TimeSpan? timeout = null;
        var defaults = new FunctionConfig { Runtime = "", HandlerFile = "", HandlerExport = "" };
        long memory = defaults.MemoryBytes;
        double cpu = defaults.Cpu;
        int concurrency = defaults.Concurrency, maxContainers = defaults.MaxContainers, minWarm = defaults.MinWarm;
        TimeSpan idleTimeout = defaults.IdleTimeout;
        var env = new Dictionary<string, string>(StringComparer.Ordinal);
        bool isPublic = defaults.Public;
        var hasHandler = false;
        string? handlerText = null, style = null;
        YamlNode? handlerNode = null, styleNode = null;
        var minWarmLine = Line(settings);

        foreach (var (keyNode, value) in settings.Children)
        {
            if (KeyOf(keyNode, prefix, errors) is not { } key)
            {
                continue;
            }

            var path = $"{prefix}.{key}";
            switch (key)
            {
                case "handler":
                    hasHandler = true;
                    handlerText = Scalar(value, path, errors);
                    handlerNode = value;
                    break;
                case "style":
                    style = Scalar(value, path, errors);
                    styleNode = value;
                    break;
                case "runtime":
                    runtime = ReadRuntime(value, path, knownRuntimes, errors);
                    break;
                case "timeout":
                    timeout = ReadDuration(value, path, errors);
                    break;
                case "idleTimeout":
                    idleTimeout = ReadDuration(value, path, errors) ?? idleTimeout;
                    break;
                case "memory":
                    if (Scalar(value, path, errors) is { } memoryText)
                    {
                        if (Units.TryParseMemory(memoryText, out var bytes) && bytes >= 16L * 1024 * 1024)
                        {
                            memory = bytes;
                        }
                        else
                        {
                            errors.Add(new ManifestError(path, Line(value), $"'{memoryText}' is not a memory size of at least 16Mi (write e.g. 128Mi or 1Gi)"));
                        }
                    }

                    break;
                case "cpu":
                    if (Scalar(value, path, errors) is { } cpuText)
                    {
                        if (double.TryParse(cpuText, NumberStyles.Float, CultureInfo.InvariantCulture, out var cores) && cores is >= 0.01 and <= 64)
                        {
                            cpu = cores;
                        }
                        else
                        {
                            errors.Add(new ManifestError(path, Line(value), $"'{cpuText}' is not a number of cores between 0.01 and 64"));
                        }
                    }

                    break;
                case "concurrency":
                    concurrency = ReadInt(value, path, 1, 1000, errors) ?? concurrency;
                    break;
                case "maxContainers":
                    maxContainers = ReadInt(value, path, 1, 1000, errors) ?? maxContainers;
                    break;
                case "minWarm":
                    minWarm = ReadInt(value, path, 0, 1000, errors) ?? minWarm;
                    minWarmLine = Line(value);
                    break;
                case "public":
                    if (Scalar(value, path, errors) is { } publicText)
                    {
                        if (bool.TryParse(publicText, out var flag))
                        {
                            isPublic = flag;
                        }
                        else
                        {
                            errors.Add(new ManifestError(path, Line(value), $"'{publicText}' is not true or false"));
                        }
                    }

                    break;
                case "env":
                    ReadEnv(value, path, env, errors);
                    break;
                default:
                    errors.Add(UnknownKey(path, keyNode, s_functionKeys));
                    break;
            }
        }

        // The handler's form and the style depend on the runtime, which may be set after them or at the root.
        var rules = runtime is null ? null : runtimes[runtime];
        if (!hasHandler)
        {
            errors.Add(new ManifestError($"{prefix}.handler", Line(settings),
                $"is missing: name the file and export, e.g. '{rules?.HandlerExample ?? "index.js:hello"}'"));
        }
        else if (rules is not null && handlerText is not null)
        {
            if (!rules.TrySplitHandler(handlerText, out var file, out var export))
            {
                errors.Add(new ManifestError($"{prefix}.handler", Line(handlerNode!),
                    $"'{handlerText}' is not a {rules.Name} handler: write e.g. '{rules.HandlerExample}' with a relative path inside the repository"));
            }
            else if (!pathExists(file, rules.HandlerIsDirectory))
            {
                errors.Add(new ManifestError($"{prefix}.handler", Line(handlerNode!),
                    $"{(rules.HandlerIsDirectory ? "folder" : "file")} '{file}' does not exist in the repository"));
            }
            else
            {
                handlerFile = file;
                handlerExport = export;
            }
        }

        if (rules is not null && style is not null && !rules.Styles.Contains(style))
        {
            errors.Add(new ManifestError($"{prefix}.style", Line(styleNode!), rules.Styles.Count == 0
                ? $"runtime '{rules.Name}' has no styles"
                : $"unknown style '{style}' for runtime '{rules.Name}': use one of {string.Join(", ", rules.Styles)}"));
        }

        // A runtime already reported as wrong (the function's own, or the root's it inherits) is not reported again as missing.
        if (runtime is null && !errors.Any(e => e.Key == $"{prefix}.runtime" || e.Key == "runtime"))
        {
            errors.Add(new ManifestError($"{prefix}.runtime", Line(settings),
                $"no runtime: set 'runtime' at the top of the manifest or on the function ({string.Join(", ", knownRuntimes)})"));
        }

        if (minWarm > maxContainers)
        {
            errors.Add(new ManifestError($"{prefix}.minWarm", minWarmLine, $"{minWarm} is more than maxContainers ({maxContainers})"));
        }

        if (errors.Count > errorCount || runtime is null || handlerFile is null || handlerExport is null)
        {
            return null;
        }

        return new ManifestFunction(name, new FunctionConfig
        {
            Runtime = runtime,
            HandlerFile = handlerFile,
            HandlerExport = handlerExport,
            Style = style,
            Timeout = timeout,
            MemoryBytes = memory,
            Cpu = cpu,
            Concurrency = concurrency,
            MaxContainers = maxContainers,
            MinWarm = minWarm,
            IdleTimeout = idleTimeout,
            Env = env,
            Public = isPublic,
        });
    }

    private static string? ReadRuntime(YamlNode node, string path, IReadOnlyCollection<string> knownRuntimes, List<ManifestError> errors)
    {
        if (Scalar(node, path, errors) is not { } runtime)
        {
            return null;
        }

        if (!knownRuntimes.Contains(runtime))
        {
            errors.Add(new ManifestError(path, Line(node), $"unknown runtime '{runtime}': this platform has {string.Join(", ", knownRuntimes)}"));
            return null;
        }

        return runtime;
    }

    private static TimeSpan? ReadDuration(YamlNode node, string path, List<ManifestError> errors)
    {
        if (Scalar(node, path, errors) is not { } text)
        {
            return null;
        }

        if (Units.TryParseDuration(text, out var duration) && duration <= TimeSpan.FromHours(24))
        {
            return duration;
        }

        errors.Add(new ManifestError(path, Line(node), $"'{text}' is not a duration (write e.g. 500ms, 30s, 5m)"));
        return null;
    }

    private static int? ReadInt(YamlNode node, string path, int min, int max, List<ManifestError> errors)
    {
        if (Scalar(node, path, errors) is not { } text)
        {
            return null;
        }

        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number >= min && number <= max)
        {
            return number;
        }

        errors.Add(new ManifestError(path, Line(node), $"'{text}' is not a whole number between {min} and {max}"));
        return null;
    }

    private static void ReadEnv(YamlNode node, string path, Dictionary<string, string> env, List<ManifestError> errors)
    {
        if (node is not YamlMappingNode mapping)
        {
            errors.Add(new ManifestError(path, Line(node), "must be a mapping of variable name to value"));
            return;
        }

        foreach (var (keyNode, value) in mapping.Children)
        {
            if (KeyOf(keyNode, path, errors) is not { } name)
            {
                continue;
            }

            var varPath = $"{path}.{name}";
            if (!EnvNamePattern().IsMatch(name))
            {
                errors.Add(new ManifestError(varPath, Line(keyNode), $"'{name}' is not an environment variable name"));
            }
            else if (name.StartsWith(WrapperEnvironment.ReservedPrefix, StringComparison.Ordinal))
            {
                errors.Add(new ManifestError(varPath, Line(keyNode), $"names starting with {WrapperEnvironment.ReservedPrefix} are reserved for the platform"));
            }
            else if (value is YamlScalarNode { Value: var text })
            {
                // An empty value is a value: FOO: "" sets FOO to the empty string.
                env[name] = text ?? "";
            }
            else
            {
                errors.Add(new ManifestError(varPath, Line(value), "must be a single value"));
            }
        }
    }

    private static string? Scalar(YamlNode node, string path, List<ManifestError> errors)
    {
        if (node is YamlScalarNode { Value: { Length: > 0 } value })
        {
            return value;
        }

        errors.Add(new ManifestError(path, Line(node), node is YamlScalarNode ? "has no value" : "must be a single value"));
        return null;
    }

    private static string? KeyOf(YamlNode keyNode, string parent, List<ManifestError> errors)
    {
        if (keyNode is YamlScalarNode { Value: { } key })
        {
            return key;
        }

        errors.Add(new ManifestError(parent, Line(keyNode), "keys must be plain names, not lists or mappings"));
        return null;
    }

    private static ManifestError UnknownKey(string path, YamlNode keyNode, IEnumerable<string> known) =>
        new(path, Line(keyNode), $"unknown key; known keys are {string.Join(", ", known)}");

    private static int Line(YamlNode node) => (int)node.Start.Line;

    [GeneratedRegex(@"^[A-Za-z_][A-Za-z0-9_]*\z", RegexOptions.CultureInvariant)]
    private static partial Regex EnvNamePattern();
}
