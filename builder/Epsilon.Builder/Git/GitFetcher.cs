using System.Diagnostics;
using System.Text;
using Microsoft.Extensions.Options;

namespace Epsilon.Builder.Git;

/// <summary>
/// Fetches one commit of a repository with the git CLI: depth 1, no tags, no submodules, bounded in time and
/// size. Arguments go through <see cref="ProcessStartInfo.ArgumentList"/>, never a shell.
/// </summary>
internal sealed partial class GitFetcher(IOptions<BuilderOptions> options, TimeProvider timeProvider, ILogger<GitFetcher> logger)
{
    private static readonly TimeSpan s_sizePollInterval = TimeSpan.FromMilliseconds(250);

    /// <summary>Fetches <paramref name="gitRef"/> (default: the remote's HEAD) into the empty folder <paramref name="directory"/>.</summary>
    /// <returns>The commit checked out.</returns>
    public async Task<string> FetchAsync(RepositorySource source, string? gitRef, string directory, Action<string> log,
        CancellationToken cancellationToken = default)
    {
        var bound = options.Value;
        using var deadline = new CancellationTokenSource(bound.CloneTimeout, timeProvider);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        Directory.CreateDirectory(directory);
        var target = string.IsNullOrWhiteSpace(gitRef) ? "HEAD" : gitRef.Trim();
        if (target.StartsWith('-'))
        {
            throw new GitFetchException($"ref '{target}' is not a branch, tag or commit");
        }

        Log.Fetching(logger, source.DisplayUrl, target);
        log($"fetching {source.DisplayUrl} at {target}");
        try
        {
            await RunGitAsync(directory, timeout.Token, "init", "-q").ConfigureAwait(false);
            var sizeWatch = WatchSizeAsync(directory, bound.MaxRepositoryBytes, timeout);
            try
            {
                await RunGitAsync(directory, timeout.Token, "fetch", "--depth", "1", "--no-tags", "--no-recurse-submodules", "-q",
                    "--", source.CloneUrl, target).ConfigureAwait(false);
                await RunGitAsync(directory, timeout.Token, "-c", "advice.detachedHead=false", "checkout", "-q", "--detach", "FETCH_HEAD")
                    .ConfigureAwait(false);
            }
            finally
            {
                await timeout.CancelAsync().ConfigureAwait(false);
                if (await sizeWatch.ConfigureAwait(false) is { } tooBig)
                {
                    throw new GitFetchException(tooBig);
                }
            }

            var commit = (await RunGitAsync(directory, cancellationToken, "rev-parse", "HEAD").ConfigureAwait(false)).Trim();
            log($"fetched commit {commit}");
            return commit;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new GitFetchException($"fetching {source.DisplayUrl} took longer than {bound.CloneTimeout.TotalSeconds:0} s");
        }
    }

    private async Task<string?> WatchSizeAsync(string directory, long maxBytes, CancellationTokenSource fetch)
    {
        try
        {
            while (!fetch.IsCancellationRequested)
            {
                await Task.Delay(s_sizePollInterval, timeProvider, fetch.Token).ConfigureAwait(false);
                if (SizeOf(directory) > maxBytes)
                {
                    await fetch.CancelAsync().ConfigureAwait(false);
                    return TooBig(maxBytes);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }

        return SizeOf(directory) > maxBytes ? TooBig(maxBytes) : null;
    }

    private static string TooBig(long maxBytes) => maxBytes >= 1024 * 1024
        ? $"the repository is larger than {maxBytes / (1024.0 * 1024):0.#} MiB"
        : $"the repository is larger than {maxBytes / 1024.0:0.#} KiB";

    private static long SizeOf(string directory)
    {
        try
        {
            return new DirectoryInfo(directory).EnumerateFiles("*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0 })
                .Sum(f => f.Length);
        }
        catch (IOException)
        {
            return 0;
        }
    }

    private async Task<string> RunGitAsync(string directory, CancellationToken cancellationToken, params string[] arguments)
    {
        var start = new ProcessStartInfo("git")
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        // No prompts, no system or user config, and only the transports we accept.
        start.Environment["GIT_TERMINAL_PROMPT"] = "0";
        start.Environment["GIT_ASKPASS"] = "true";
        start.Environment["GIT_CONFIG_NOSYSTEM"] = "1";
        start.Environment["GIT_CONFIG_GLOBAL"] = "/dev/null";
        start.Environment["GIT_ALLOW_PROTOCOL"] = "https:file";
        start.Environment["HOME"] = directory;

        using var process = Process.Start(start) ?? throw new GitFetchException("could not start git");
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        try
        {
            await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        var error = await stderr.ConfigureAwait(false);
        if (process.ExitCode != 0)
        {
            throw new GitFetchException(Describe(error));
        }

        return await stdout.ConfigureAwait(false);
    }

    /// <summary>Git's first error line (the specific one; later ones are generic), with any credentials in a URL removed.</summary>
    private static string Describe(string stderr)
    {
        var line = stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .FirstOrDefault(l => l.StartsWith("fatal:", StringComparison.Ordinal) || l.StartsWith("error:", StringComparison.Ordinal))
            ?? stderr.Trim();
        var builder = new StringBuilder(line.Length);
        foreach (var word in line.Split(' '))
        {
            builder.Append(builder.Length > 0 ? " " : "").Append(Uri.TryCreate(word.Trim('\'', '"'), UriKind.Absolute, out var uri) && uri.UserInfo.Length > 0
                ? word.Replace(uri.UserInfo + "@", "", StringComparison.Ordinal)
                : word);
        }

        return builder.Length > 0 ? builder.ToString() : "git failed";
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 100, Level = LogLevel.Information, Message = "Fetching '{Repository}' at '{Ref}'.")]
        public static partial void Fetching(ILogger logger, string repository, string @ref);
    }
}
