using Docker.DotNet;
using Epsilon.Builder.Images;
using Epsilon.Builder.Runtimes;
using Epsilon.Core.Model;
using Epsilon.Core.Store;

namespace Epsilon.Builder.Functions;

/// <summary>
/// The versions calls reach that a rebuilt runtime (a base image with security updates, a new build image, a new wrapper)
/// left behind: each function image records what it was built on (<see cref="RuntimeBase"/> labels), compared here with
/// what a build would use now. Read from this builder's Docker daemon, which built the images.
/// </summary>
internal sealed class StaleVersions(IFunctionStore store, IAliasStore aliases, IDockerClient docker, RuntimeCatalog runtimes, SourceFingerprint fingerprint)
{
    public async Task<IReadOnlyList<StaleVersion>> ListAsync(CancellationToken cancellationToken)
    {
        var functions = (await store.ListFunctionsAsync(cancellationToken).ConfigureAwait(false)).ToDictionary(f => f.Name, StringComparer.Ordinal);
        var serving = new Dictionary<(string Function, int Version), List<string>>();
        foreach (var function in functions.Values.Where(f => f.Live is not null))
        {
            serving[(function.Name, function.Live!.Version)] = ["live"];
        }

        foreach (var alias in await aliases.ListAliasesAsync(null, cancellationToken).ConfigureAwait(false))
        {
            foreach (var version in alias.Weights.Keys)
            {
                var names = serving.TryGetValue((alias.Function, version), out var known) ? known : serving[(alias.Function, version)] = [];
                if (!names.Contains(alias.Name, StringComparer.Ordinal))
                {
                    names.Add(alias.Name);
                }
            }
        }

        var current = new Dictionary<string, RuntimeBase>(StringComparer.Ordinal);
        var stale = new List<StaleVersion>();
        foreach (var ((name, number), names) in serving.OrderBy(s => s.Key.Function, StringComparer.Ordinal).ThenBy(s => s.Key.Version))
        {
            if (!functions.TryGetValue(name, out var function)
                || await VersionAsync(function, number, cancellationToken).ConfigureAwait(false) is not { Status: VersionStatus.Ready } version
                || runtimes.Find(version.Config.Runtime) is not { } runtime)
            {
                continue;
            }

            if (!current.TryGetValue(runtime.Name, out var now))
            {
                current[runtime.Name] = now = await fingerprint.BaseOfAsync(runtime, cancellationToken).ConfigureAwait(false);
            }

            var builtOn = await BuiltOnAsync(version.Image, cancellationToken).ConfigureAwait(false);
            var changed = builtOn?.Differences(now) ?? ["unknown"];
            if (changed.Count > 0)
            {
                var deployment = await store.GetDeploymentAsync(version.DeploymentId, cancellationToken).ConfigureAwait(false);
                stale.Add(new StaleVersion(name, number, function.Repository, deployment?.Commit, version.Image, runtime.Name, names, builtOn, now, changed));
            }
        }

        return stale;
    }

    private async Task<FunctionVersion?> VersionAsync(FunctionInfo function, int version, CancellationToken cancellationToken) =>
        function.Live?.Version == version ? function.Live : await aliases.GetVersionAsync(function.Name, version, cancellationToken).ConfigureAwait(false);

    private async Task<RuntimeBase?> BuiltOnAsync(string image, CancellationToken cancellationToken)
    {
        try
        {
            return RuntimeBase.FromLabels((await docker.Images.InspectImageAsync(image, cancellationToken).ConfigureAwait(false)).Config?.Labels);
        }
        catch (DockerImageNotFoundException)
        {
            return null;
        }
    }
}
