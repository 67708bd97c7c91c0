namespace Epsilon.Bench;

/// <summary>One hello function per runtime, each answering <c>hello</c>, for cold starts and warm throughput per runtime.</summary>
internal static class RuntimeRepositories
{
    public static readonly IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> Files = new Dictionary<string, IReadOnlyDictionary<string, string>>
    {
        ["node"] = new Dictionary<string, string>
        {
            ["epsilon.yaml"] = Manifest("node", "index.js:hello"),
            ["index.js"] = "module.exports.hello = { definition: async (req, res) => { res.send('hello'); } };\n",
        },
        ["python"] = new Dictionary<string, string>
        {
            ["epsilon.yaml"] = Manifest("python", "handler.py:handler"),
            ["handler.py"] = "def handler(event, context):\n    return {\"statusCode\": 200, \"headers\": {\"content-type\": \"text/plain\"}, \"body\": \"hello\"}\n",
        },
        ["go"] = new Dictionary<string, string>
        {
            ["epsilon.yaml"] = Manifest("go", ".:Hello"),
            ["go.mod"] = "module bench/hello\n\ngo 1.19\n",
            ["hello.go"] = "package hello\n\nimport \"net/http\"\n\n// Hello answers hello.\nfunc Hello(w http.ResponseWriter, r *http.Request) {\n\t_, _ = w.Write([]byte(\"hello\"))\n}\n",
        },
        ["dotnet"] = new Dictionary<string, string>
        {
            ["epsilon.yaml"] = Manifest("dotnet", "Hello.csproj:Bench.Hello"),
            ["Hello.csproj"] = """
                <Project Sdk="Microsoft.NET.Sdk">
                  <PropertyGroup>
                    <TargetFramework>net10.0</TargetFramework>
                    <ImplicitUsings>enable</ImplicitUsings>
                  </PropertyGroup>
                  <ItemGroup>
                    <FrameworkReference Include="Microsoft.AspNetCore.App" />
                  </ItemGroup>
                </Project>
                """,
            ["Hello.cs"] = """
                using Microsoft.AspNetCore.Http;

                namespace Bench;

                public static class Hello
                {
                    public static Task<IResult> HandleAsync(HttpContext context) => Task.FromResult(Results.Text("hello"));
                }
                """,
        },
    };

    private static string Manifest(string runtime, string handler) =>
        $"runtime: {runtime}\nfunctions:\n  bench-rt-{runtime}:\n    handler: {handler}\n    concurrency: 256\n    maxContainers: 1\n";

    /// <summary>Writes the runtime's repository into <paramref name="path"/> and commits it.</summary>
    public static string Create(string path, string runtime)
    {
        Directory.CreateDirectory(path);
        foreach (var (name, content) in Files[runtime])
        {
            File.WriteAllText(Path.Combine(path, name), content);
        }

        Processes.Run("git", path, "init", "-q", "-b", "main");
        Processes.Run("git", path, "add", "-A");
        Processes.Run("git", path, "-c", "user.name=bench", "-c", "user.email=bench@localhost", "commit", "-q", "-m", runtime);
        return path;
    }
}
