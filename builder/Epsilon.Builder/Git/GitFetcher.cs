using System.Diagnostics;
using System.Text;
using Microsoft.Extensions.Options;

namespace Epsilon.Builder.Git;

/// <summary>
/// Fetches one commit of a repository with the git CLI: depth 1, no tags, no submodules, bounded in time and
/// size. Arguments go through <see cref="ProcessStartInfo.ArgumentList"/>, never a shell. A remote that cannot be
/// fetched gets one message whatever the cause (no such host, nothing listening, no such path, no access), so a deploy
/// does not tell its caller which hosts or private repositories exist; the builder's log keeps git's own reason.
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
            await RunGitAsync(directory, source, timeout.Token, "init", "-q").ConfigureAwait(false);
            var sizeWatch = WatchSizeAsync(directory, bound.MaxRepositoryBytes, timeout);
            try
            {
                try
                {
                    await RunGitAsync(directory, source, timeout.Token, "fetch", "--depth", "1", "--no-tags", "--no-recurse-submodules", "-q",
                        "--", source.CloneUrl, target).ConfigureAwait(false);
                }
                catch (GitFetchException ex) when (!source.IsLocal && !timeout.IsCancellationRequested && !IsMissingRef(ex.Message))
                {
                    Log.FetchFailed(logger, source.DisplayUrl, ex.Message);
                    throw new GitFetchException(Unavailable);
                }

                await RunGitAsync(directory, source, timeout.Token, "-c", "advice.detachedHead=false", "checkout", "-q", "--detach", "FETCH_HEAD")
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

            var commit = (await RunGitAsync(directory, source, cancellationToken, "rev-parse", "HEAD").ConfigureAwait(false)).Trim();
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

    /// <summary>
    /// The checked-out files' size, walked by hand: enumerating recursively descends into links to folders, so a link to
    /// <c>/usr</c> would be measured and a link to <c>.</c> walked until the path is too long. Links count for nothing
    /// and are never descended into; their targets are not what was fetched.
    /// </summary>
    private static long SizeOf(string directory)
    {
        var options = new EnumerationOptions { AttributesToSkip = 0, IgnoreInaccessible = true };
        var pending = new Stack<DirectoryInfo>([new DirectoryInfo(directory)]);
        var size = 0L;
        try
        {
            while (pending.TryPop(out var folder))
            {
                foreach (var entry in folder.EnumerateFileSystemInfos("*", options))
                {
                    if (entry.Attributes.HasFlag(FileAttributes.ReparsePoint))
                    {
                        continue;
                    }

                    if (entry is DirectoryInfo subfolder)
                    {
                        pending.Push(subfolder);
                    }
                    else
                    {
                        size += ((FileInfo)entry).Length;
                    }
                }
            }
        }
        catch (IOException)
        {
            // The fetch is still writing: what was measured so far.
        }

        return size;
    }

    /// <summary>What a deploy says of a remote repository that could not be fetched, whatever the reason.</summary>
    public const string Unavailable = "it does not exist, or this builder cannot reach it or has no access to it";

    /// <summary>The remote answered and has no such branch, tag or commit: said as it is, since the repository was readable.</summary>
    private static bool IsMissingRef(string message) => message.Contains("couldn't find remote ref", StringComparison.Ordinal)
        || message.Contains("not our ref", StringComparison.Ordinal);

    private async Task<string> RunGitAsync(string directory, RepositorySource source, CancellationToken cancellationToken, params string[] arguments)
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

        // Nothing of git's from the builder's own environment (GIT_SSL_NO_VERIFY, GIT_SSL_CAINFO, GIT_DIR ...): only ours.
        foreach (var inherited in start.Environment.Keys.Where(k => k.StartsWith("GIT_", StringComparison.Ordinal)).ToList())
        {
            start.Environment.Remove(inherited);
        }

        // No prompts, no system or user config, and only the transports we accept.
        start.Environment["GIT_TERMINAL_PROMPT"] = "0";
        start.Environment["GIT_ASKPASS"] = "true";
        start.Environment["GIT_CONFIG_NOSYSTEM"] = "1";
        start.Environment["GIT_CONFIG_GLOBAL"] = "/dev/null";
        start.Environment["GIT_ALLOW_PROTOCOL"] = source.IsLocal ? "file" : "https";
        start.Environment["HOME"] = directory;
        // Settings through git's environment (GIT_CONFIG_COUNT), so a credential is never in an argument other
        // processes can list, nor in the repository's config on disk.
        var settings = new List<(string Key, string Value)>();
        if (!string.IsNullOrEmpty(options.Value.GitCaFile))
        {
            start.Environment["GIT_SSL_CAINFO"] = options.Value.GitCaFile;
        }

        if (!source.IsLocal && Uri.TryCreate(source.CloneUrl, UriKind.Absolute, out var remote)
            && options.Value.GitCredentials.FirstOrDefault(c => string.Equals(c.Host, remote.IsDefaultPort ? remote.Host : remote.Authority,
                StringComparison.OrdinalIgnoreCase)) is { } credential)
        {
            var password = credential.Password ?? (await File.ReadAllTextAsync(credential.PasswordFile!, cancellationToken).ConfigureAwait(false)).TrimEnd('\r', '\n');
            var basic = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{credential.Username}:{password}"));
            // Scoped to that host's URLs: git sends it to no other, redirects included.
            settings.Add(($"http.{remote.Scheme}://{remote.Authority}/.extraHeader", $"Authorization: Basic {basic}"));
        }

        start.Environment["GIT_CONFIG_COUNT"] = settings.Count.ToString(System.Globalization.CultureInfo.InvariantCulture);
        for (var i = 0; i < settings.Count; i++)
        {
            start.Environment[$"GIT_CONFIG_KEY_{i}"] = settings[i].Key;
            start.Environment[$"GIT_CONFIG_VALUE_{i}"] = settings[i].Value;
        }

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
        [LoggerMessage(EventId = 101, Level = LogLevel.Warning, Message = "Fetching '{Repository}' failed: {Reason}")]
        public static partial void FetchFailed(ILogger logger, string repository, string reason);

        [LoggerMessage(EventId = 100, Level = LogLevel.Information, Message = "Fetching '{Repository}' at '{Ref}'.")]
        public static partial void Fetching(ILogger logger, string repository, string @ref);
    }
}
