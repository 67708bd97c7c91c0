using Epsilon.Builder.Deployments;
using Epsilon.Builder.Git;
using Microsoft.Extensions.Options;

namespace Epsilon.Builder.Functions;

/// <summary>
/// Rebuilds functions on the runtime images a build uses now: each repository is deployed again at the commit its live
/// versions were built from, with force, so new versions are built and made live the way a deploy makes them (every
/// gateway serves the new version before the answer, and drains the old one's containers), keeping env overrides and
/// secrets as every deploy does.
/// </summary>
internal sealed partial class Rebuilds(DeploymentRunner runner, IOptions<BuilderOptions> options, ILogger<Rebuilds> logger)
{
    /// <summary>Redeploys each (repository, commit) of <paramref name="functions"/> at once and waits for every one to end.</summary>
    /// <param name="functions">Each function with its repository and live commit.</param>
    public async Task<IReadOnlyList<Rebuild>> RunAsync(IReadOnlyList<(string Function, string Repository, string? Commit)> functions,
        CancellationToken cancellationToken)
    {
        var started = functions
            .GroupBy(f => (f.Repository, f.Commit))
            .Select(group => StartAsync(group.Key.Repository, group.Key.Commit, group.Select(f => f.Function).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList(),
                cancellationToken))
            .ToList();
        return await Task.WhenAll(started).ConfigureAwait(false);
    }

    private async Task<Rebuild> StartAsync(string repository, string? commit, IReadOnlyList<string> functions, CancellationToken cancellationToken)
    {
        if (commit is null)
        {
            return new Rebuild(repository, commit, functions, null, "the live versions record no commit to build again; deploy the repository instead");
        }

        if (!RepositorySource.TryParse(repository, out var source, out var error))
        {
            return new Rebuild(repository, commit, functions, null, $"repository {error}");
        }

        if (source!.IsLocal && !options.Value.AllowLocalRepositories)
        {
            return new Rebuild(repository, commit, functions, null, $"repository {RepositorySource.LocalNotAllowed}");
        }

        Log.Rebuilding(logger, repository, commit, string.Join(", ", functions));
        if (await runner.StartAsync(source!, commit, force: true, cancellationToken).ConfigureAwait(false) is not { } running)
        {
            return new Rebuild(repository, commit, functions, null, "the deployment queue is full (Epsilon:Builder:MaxQueuedDeployments); try again later");
        }

        // The deployment runs on when the caller leaves; the answer only waits for it.
        return new Rebuild(repository, commit, functions, await running.Completion.WaitAsync(cancellationToken).ConfigureAwait(false), null);
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 340, Level = LogLevel.Information,
            Message = "Rebuilding '{Repository}' at {Commit} on the current runtime images, for {Functions}.")]
        public static partial void Rebuilding(ILogger logger, string repository, string commit, string functions);
    }
}
