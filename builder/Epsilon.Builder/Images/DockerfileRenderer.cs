using Epsilon.Builder.Runtimes;
using Epsilon.Core.Manifest;

namespace Epsilon.Builder.Images;

/// <summary>Renders a runtime's Dockerfile template for one function. Values were validated by the manifest reader.</summary>
internal static class DockerfileRenderer
{
    /// <summary>
    /// The runtime's template for <paramref name="function"/>, ending with one LABEL instruction holding
    /// <paramref name="labels"/>. The legacy builder turns each label given through the API into a step of its own, a
    /// container created and committed, about 70 ms each; one instruction is one step.
    /// </summary>
    public static string Render(RuntimeDefinition runtime, ManifestFunction function, IReadOnlyDictionary<string, string> labels) =>
        Render(runtime, function).TrimEnd('\n') + "\nLABEL " + string.Join(' ', labels.Select(l => $"{Quote(l.Key)}={Quote(l.Value)}")) + "\n";

    private static string Render(RuntimeDefinition runtime, ManifestFunction function) => runtime.DockerfileTemplate
        .Replace("{{BASE_IMAGE}}", runtime.BaseImage, StringComparison.Ordinal)
        .Replace("{{BUILD_IMAGE}}", runtime.BuildImage, StringComparison.Ordinal)
        .Replace("{{STYLE}}", function.Config.Style ?? "", StringComparison.Ordinal)
        .Replace("{{FUNCTION_NAME}}", function.Name, StringComparison.Ordinal)
        .Replace("{{HANDLER_FILE}}", function.Config.HandlerFile, StringComparison.Ordinal)
        .Replace("{{HANDLER_EXPORT}}", function.Config.HandlerExport, StringComparison.Ordinal);

    /// <summary>A Dockerfile double-quoted string: labels hold validated names and numbers, escaped anyway.</summary>
    private static string Quote(string value) => "\"" + value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";
}
