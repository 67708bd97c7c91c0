using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Epsilon.Core.Manifest;

/// <summary>Loads a manifest's YAML within <see cref="ManifestLimits"/>, its syntax errors as manifest errors.</summary>
internal static class ManifestYaml
{
    /// <summary>The first document's root node, or null when the file holds no document.</summary>
    /// <exception cref="ManifestException">The file is too large, exceeds a limit, or is not YAML.</exception>
    public static YamlNode? LoadRoot(string fileName, string yaml, ManifestLimits? limits)
    {
        limits ??= ManifestLimits.Default;
        limits.CheckSize(fileName, System.Text.Encoding.UTF8.GetByteCount(yaml));
        var stream = new YamlStream();
        try
        {
            stream.Load(new BoundedYamlParser(fileName, yaml, limits));
        }
        catch (YamlException ex)
        {
            throw new ManifestException(fileName, [new ManifestError("(syntax)", (int)ex.Start.Line, ex.InnerException?.Message ?? ex.Message)]);
        }

        return stream.Documents.Count > 0 ? stream.Documents[0].RootNode : null;
    }
}
