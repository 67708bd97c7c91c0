using Epsilon.Builder.Runtimes;
using Epsilon.Core.Manifest;

namespace Epsilon.Builder.Images;

/// <summary>Renders a runtime's Dockerfile template for one function. Values were validated by the manifest reader.</summary>
internal static class DockerfileRenderer
{
    public static string Render(RuntimeDefinition runtime, ManifestFunction function) => runtime.DockerfileTemplate
        .Replace("{{BASE_IMAGE}}", runtime.BaseImage, StringComparison.Ordinal)
        .Replace("{{BUILD_IMAGE}}", runtime.BuildImage, StringComparison.Ordinal)
        .Replace("{{STYLE}}", function.Config.Style ?? "", StringComparison.Ordinal)
        .Replace("{{FUNCTION_NAME}}", function.Name, StringComparison.Ordinal)
        .Replace("{{HANDLER_FILE}}", function.Config.HandlerFile, StringComparison.Ordinal)
        .Replace("{{HANDLER_EXPORT}}", function.Config.HandlerExport, StringComparison.Ordinal);
}
