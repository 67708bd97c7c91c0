using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Docker.DotNet;
using Epsilon.Builder.Runtimes;
using Epsilon.Core.Manifest;
using Microsoft.Extensions.Options;

namespace Epsilon.Builder.Images;

/// <summary>
/// What a function version is built from, as one digest: the commit, the function's configuration from the manifest,
/// the runtime's base and build images (by image id, so a rebuilt base image under the same tag counts as new), its
/// Dockerfile template and wrapper sources, and the extra CA bundle. Two deploys with the same digest would build the
/// same image, so the second makes no new version.
/// </summary>
internal sealed class SourceFingerprint(IDockerClient docker, RuntimeCatalog runtimes, IOptions<BuilderOptions> options)
{
    // The wrapper's sources are files of this builder's installation: read once.
    private readonly ConcurrentDictionary<string, string> _wrappers = new(StringComparer.Ordinal);

    public async Task<string> OfAsync(ManifestFunction function, string commit, CancellationToken cancellationToken)
    {
        var runtime = await BaseOfAsync(runtimes.Get(function.Config.Runtime), cancellationToken).ConfigureAwait(false);
        var text = new StringBuilder()
            .Append("commit ").AppendLine(commit)
            .Append("function ").AppendLine(function.Name)
            .Append("config ").AppendLine(JsonSerializer.Serialize(function.Config, Api.BuilderJsonContext.Default.FunctionConfig))
            .Append("base ").AppendLine(runtime.BaseImage)
            .Append("build ").AppendLine(runtime.BuildImage)
            .Append("wrapper ").AppendLine(runtime.Wrapper)
            .Append("ca ").AppendLine(options.Value.ExtraCaBundle is { } bundle && File.Exists(bundle) ? Hash(File.ReadAllBytes(bundle)) : "none");
        return "sha256:" + Hash(Encoding.UTF8.GetBytes(text.ToString()));
    }

    /// <summary>What of <paramref name="runtime"/> a function built now is built on.</summary>
    public async Task<RuntimeBase> BaseOfAsync(RuntimeDefinition runtime, CancellationToken cancellationToken) => new(
        await ImageIdAsync(runtime.BaseImage, cancellationToken).ConfigureAwait(false),
        await ImageIdAsync(runtime.BuildImage, cancellationToken).ConfigureAwait(false),
        _wrappers.GetOrAdd(runtime.Name, _ => HashWrapper(runtime)));

    private async Task<string> ImageIdAsync(string image, CancellationToken cancellationToken)
    {
        try
        {
            return (await docker.Images.InspectImageAsync(image, cancellationToken).ConfigureAwait(false)).ID;
        }
        catch (DockerImageNotFoundException)
        {
            // The build will say so if it needs it; the tag alone still tells a changed configuration apart.
            return "absent " + image;
        }
    }

    private static string HashWrapper(RuntimeDefinition runtime)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(Encoding.UTF8.GetBytes(runtime.DockerfileTemplate));
        foreach (var file in Directory.EnumerateFiles(runtime.SourceDirectory, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            hash.AppendData(Encoding.UTF8.GetBytes(Path.GetRelativePath(runtime.SourceDirectory, file) + "\n"));
            hash.AppendData(File.ReadAllBytes(file));
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    private static string Hash(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));
}
