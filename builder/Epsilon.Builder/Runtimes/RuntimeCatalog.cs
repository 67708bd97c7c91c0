using System.Text.Json;
using System.Text.RegularExpressions;
using Epsilon.Core.Manifest;
using Microsoft.Extensions.Options;

namespace Epsilon.Builder.Runtimes;

/// <summary>
/// The runtimes this builder can build: each a folder with <c>runtime.json</c>, <c>Dockerfile.template</c> and the
/// wrapper's <c>src/</c>. Images default to <c>epsilon/runtime-{name}:latest</c> and <c>epsilon/runtime-{name}-build:latest</c>
/// (what scripts/setup.sh builds), overridable per runtime in options.
/// </summary>
internal sealed class RuntimeCatalog
{
    private static readonly TimeSpan s_regexTimeout = TimeSpan.FromSeconds(1);
    private readonly Dictionary<string, RuntimeDefinition> _runtimes = new(StringComparer.Ordinal);

    public RuntimeCatalog(IOptions<BuilderOptions> options)
    {
        var value = options.Value;
        if (!Directory.Exists(value.RuntimesPath))
        {
            return;
        }

        foreach (var directory in Directory.EnumerateDirectories(value.RuntimesPath).Order(StringComparer.Ordinal))
        {
            var name = Path.GetFileName(directory);
            var template = Path.Combine(directory, "Dockerfile.template");
            var description = Path.Combine(directory, "runtime.json");
            var source = Path.Combine(directory, "src");
            if (!File.Exists(template) || !File.Exists(description) || !Directory.Exists(source))
            {
                continue;
            }

            var manifest = JsonSerializer.Deserialize(File.ReadAllText(description), RuntimeJsonContext.Default.RuntimeManifest)
                ?? throw new InvalidDataException($"'{description}' is empty");
            var rules = new RuntimeRules(
                name,
                manifest.Handler.Patterns.Select(p => new HandlerPattern(new Regex(p.Regex, RegexOptions.CultureInvariant, s_regexTimeout), p.FileSuffix ?? ""))
                    .ToList(),
                manifest.Handler.Example,
                manifest.Handler.Kind == "directory",
                manifest.Styles ?? []);
            _runtimes[name] = new RuntimeDefinition(
                name,
                rules,
                File.ReadAllText(template),
                source,
                value.BaseImages.GetValueOrDefault(name) ?? $"epsilon/runtime-{name}:latest",
                value.BuildImages.GetValueOrDefault(name) ?? $"epsilon/runtime-{name}-build:latest");
        }
    }

    /// <summary>The rules of every runtime, for reading manifests.</summary>
    public IReadOnlyDictionary<string, RuntimeRules> Rules => _runtimes.ToDictionary(r => r.Key, r => r.Value.Rules, StringComparer.Ordinal);

    /// <summary>The runtime called <paramref name="name"/>.</summary>
    public RuntimeDefinition Get(string name) => _runtimes[name];

    /// <summary>The runtime called <paramref name="name"/>; null when this builder has no such runtime (any more).</summary>
    public RuntimeDefinition? Find(string name) => _runtimes.GetValueOrDefault(name);
}
