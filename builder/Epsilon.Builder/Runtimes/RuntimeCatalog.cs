using Microsoft.Extensions.Options;

namespace Epsilon.Builder.Runtimes;

/// <summary>The runtimes this builder can build: each a folder with a Dockerfile.template and the wrapper's src/.</summary>
internal sealed class RuntimeCatalog
{
    private readonly Dictionary<string, RuntimeDefinition> _runtimes;

    public RuntimeCatalog(IOptions<BuilderOptions> options)
    {
        var value = options.Value;
        _runtimes = new Dictionary<string, RuntimeDefinition>(StringComparer.Ordinal);
        if (!Directory.Exists(value.RuntimesPath))
        {
            return;
        }

        foreach (var directory in Directory.EnumerateDirectories(value.RuntimesPath))
        {
            var name = Path.GetFileName(directory);
            var template = Path.Combine(directory, "Dockerfile.template");
            var source = Path.Combine(directory, "src");
            if (File.Exists(template) && Directory.Exists(source) && value.BaseImages.TryGetValue(name, out var baseImage))
            {
                _runtimes[name] = new RuntimeDefinition(name, File.ReadAllText(template), source, baseImage);
            }
        }
    }

    /// <summary>Names of the runtimes available.</summary>
    public IReadOnlyCollection<string> Names => _runtimes.Keys;

    /// <summary>The runtime called <paramref name="name"/>.</summary>
    public RuntimeDefinition Get(string name) => _runtimes[name];
}
