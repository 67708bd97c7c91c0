using System.Diagnostics;

namespace Epsilon.Cli.Git;

/// <summary>
/// What <c>epsilon deploy</c> with no repository deploys: the checkout's <c>origin</c> remote at the current commit. The
/// builder fetches from the remote, so a commit that is not there would fail later with a vaguer message.
/// </summary>
internal sealed record GitCheckout(string Remote, string Commit, bool Dirty)
{
    public static GitCheckout Detect(string directory)
    {
        if (Run(directory, "rev-parse", "--show-toplevel") is not { ExitCode: 0 })
        {
            throw new CliException(ExitCodes.Usage, $"{directory} is not inside a Git checkout: name the repository to deploy ('epsilon deploy owner/repo')");
        }

        var remote = Run(directory, "remote", "get-url", "origin");
        if (remote.ExitCode != 0 || remote.Output.Length == 0)
        {
            throw new CliException(ExitCodes.Usage, "this checkout has no 'origin' remote to deploy from: add one or name the repository");
        }

        var commit = Run(directory, "rev-parse", "HEAD");
        if (commit.ExitCode != 0)
        {
            throw new CliException(ExitCodes.Usage, "this checkout has no commit yet: commit and push before deploying");
        }

        // Remote-tracking branches that hold the commit, as of the last fetch or push.
        var onRemote = Run(directory, "branch", "-r", "--contains", commit.Output, "--list", "origin/*");
        if (onRemote.ExitCode != 0 || onRemote.Output.Length == 0)
        {
            throw new CliException(ExitCodes.Failed,
                $"commit {commit.Output[..Math.Min(12, commit.Output.Length)]} is not on the remote 'origin' (no origin branch contains it): push it first ('git push'), then deploy");
        }

        var status = Run(directory, "status", "--porcelain", "--untracked-files=no");
        return new GitCheckout(remote.Output, commit.Output, status.Output.Length > 0);
    }

    private static (int ExitCode, string Output) Run(string directory, params string[] arguments)
    {
        var start = new ProcessStartInfo("git")
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add("-C");
        start.ArgumentList.Add(directory);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        try
        {
            using var process = Process.Start(start)!;
            var errors = process.StandardError.ReadToEndAsync();
            var output = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            _ = errors.Result;
            return (process.ExitCode, output.Trim());
        }
        catch (System.ComponentModel.Win32Exception)
        {
            throw new CliException(ExitCodes.Usage, "git is not installed: name the repository to deploy ('epsilon deploy owner/repo')");
        }
    }
}
