using System.Diagnostics;

namespace Epsilon.EndToEnd.Tests.Infrastructure;

/// <summary>A real Git repository in a temporary folder, made and changed with the git CLI.</summary>
internal sealed class TestRepository : IDisposable
{
    private TestRepository(string path) => Path = path;

    public string Path { get; }

    public static TestRepository Create(IReadOnlyDictionary<string, string> files)
    {
        var path = Directory.CreateTempSubdirectory("epsilon-repo-").FullName;
        Git(path, "init", "-q", "-b", "main");
        var repository = new TestRepository(path);
        repository.Commit(files, "initial");
        return repository;
    }

    /// <summary>A repository holding a copy of <paramref name="relativePath"/> (e.g. <c>examples/hello-node</c>) of this source tree.</summary>
    public static TestRepository FromDirectory(string relativePath)
    {
        var source = System.IO.Path.Combine(SourceRoot, relativePath);
        var files = Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories)
            .Where(f => !f.Split(System.IO.Path.DirectorySeparatorChar).Contains("node_modules"))
            .ToDictionary(f => System.IO.Path.GetRelativePath(source, f), File.ReadAllText);
        return Create(files);
    }

    /// <summary>The folder holding Epsilon.sln.</summary>
    public static string SourceRoot { get; } = FindSourceRoot();

    private static string FindSourceRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(directory.FullName, "Epsilon.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("Epsilon.sln not found above " + AppContext.BaseDirectory);
    }

    /// <summary>Writes <paramref name="files"/> (null content deletes) and commits them.</summary>
    public void Commit(IReadOnlyDictionary<string, string> files, string message)
    {
        foreach (var (name, content) in files)
        {
            var full = System.IO.Path.Combine(Path, name);
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
            File.WriteAllText(full, content);
        }

        Git(Path, "add", "-A");
        Git(Path, "-c", "user.name=Epsilon Tests", "-c", "user.email=tests@epsilon.invalid", "commit", "-q", "-m", message);
    }

    /// <summary>Runs git in <paramref name="directory"/> and returns its trimmed output; a failure throws with git's error.</summary>
    internal static string Git(string directory, params string[] arguments)
    {
        var start = new ProcessStartInfo("git") { WorkingDirectory = directory, RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"git {string.Join(' ', arguments)} failed: {error}");
        }

        return output.Result.Trim();
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
