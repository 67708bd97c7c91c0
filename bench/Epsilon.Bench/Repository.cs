namespace Epsilon.Bench;

/// <summary>A Git repository of Node functions that all answer the same text.</summary>
internal sealed class Repository(string path)
{
    public string Path { get; } = path;

    /// <summary>A new repository; when <paramref name="unique"/>, its first commit's code is unique to this run, so no
    /// earlier run's build cache holds it.</summary>
    public static Repository Create(string path, IReadOnlyList<string> functions, string answer, bool unique = false)
    {
        Directory.CreateDirectory(path);
        File.WriteAllText(System.IO.Path.Combine(path, "epsilon.yaml"),
            "runtime: node\nfunctions:\n" + string.Concat(functions.Select(n => $"  {n}:\n    handler: index.js:hello\n    concurrency: 256\n    maxContainers: 1\n")));
        var repository = new Repository(path);
        Processes.Run("git", path, "init", "-q", "-b", "main");
        repository.Write(answer, unique ? $"initial {Guid.NewGuid():N}" : "initial");
        return repository;
    }

    /// <summary>Changes the code only, to answer <paramref name="answer"/>.</summary>
    public void Commit(string comment, string answer) => Write(answer, comment);

    private void Write(string answer, string comment)
    {
        File.WriteAllText(System.IO.Path.Combine(Path, "index.js"),
            $"// {comment}\nmodule.exports.hello = {{ definition: async (req, res) => {{ res.send('{answer}'); }} }};\n");
        Processes.Run("git", Path, "add", "-A");
        Processes.Run("git", Path, "-c", "user.name=bench", "-c", "user.email=bench@localhost", "commit", "-q", "-m", comment);
    }
}
