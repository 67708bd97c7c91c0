using System.Diagnostics;

namespace Epsilon.Builder.Git;

/// <summary>A real Git repository in a temporary folder, made and changed with the git CLI.</summary>
internal sealed class GitRepository : IDisposable
{
    public GitRepository()
    {
        Directory.CreateDirectory(Path);
        Git("init", "-q", "-b", "main");
    }

    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"epsilon-git-origin-{Guid.NewGuid():N}");

    public RepositorySource Source
    {
        get
        {
            Assert.True(RepositorySource.TryParse(Path, out var source, out var error), error);
            return source!;
        }
    }

    public void WriteFile(string relativePath, string content) => WriteFile(relativePath, System.Text.Encoding.UTF8.GetBytes(content));

    public void WriteFile(string relativePath, byte[] content)
    {
        var full = System.IO.Path.Combine(Path, relativePath);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
        File.WriteAllBytes(full, content);
    }

    /// <summary>Commits everything and returns the new commit's sha.</summary>
    public string Commit(string message)
    {
        Git("add", "-A");
        Git("commit", "-q", "-m", message);
        return Git("rev-parse", "HEAD").Trim();
    }

    public string Git(params string[] arguments)
    {
        var start = new ProcessStartInfo("git")
        {
            WorkingDirectory = Path,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in (string[])["-c", "user.name=t", "-c", "user.email=t@t", "-c", "commit.gpgsign=false", "-c", "tag.gpgsign=false", .. arguments])
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["GIT_CONFIG_NOSYSTEM"] = "1";
        start.Environment["GIT_CONFIG_GLOBAL"] = "/dev/null";
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"git {string.Join(' ', arguments)} failed: {stderr}");
        return stdout.Result;
    }

    public void Dispose() => TempDirectory.Delete(Path);
}
