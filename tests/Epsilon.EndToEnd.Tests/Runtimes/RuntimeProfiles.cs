namespace Epsilon.EndToEnd.Tests.Runtimes;

/// <summary>
/// The rows of the conformance suite, one per runtime: a new runtime gets every case by adding its row to
/// <see cref="All"/>. Each states the examples it uses and how its answers differ from the others'.
/// </summary>
internal static class RuntimeProfiles
{
    private static readonly RuntimeFunction NodeEcho = RuntimeFunction.InExample("node-echo", "examples/node-echo");
    private static readonly RuntimeFunction PythonEcho = RuntimeFunction.InExample("py-echo", "examples/python-echo");
    private static readonly RuntimeFunction GoEcho = RuntimeFunction.InExample("go-echo", "examples/go-echo");
    private static readonly RuntimeFunction DotnetEcho = RuntimeFunction.InExample("dotnet-echo", "examples/dotnet-echo");
    private static readonly RuntimeFunction DotnetLambda = RuntimeFunction.InExample("dotnet-lambda", "examples/dotnet-lambda");

    private const string DotnetLibraryProject = """
        <Project Sdk="Microsoft.NET.Sdk">
          <PropertyGroup>
            <TargetFramework>net10.0</TargetFramework>
            <Nullable>enable</Nullable>
          </PropertyGroup>
        </Project>
        """;

    public static readonly RuntimeProfile Node = new()
    {
        Name = "node",
        Echo = new CalledFunction
        {
            Function = NodeEcho,
            TimeoutMs = 2000,
            // Express parses the query (a repeated key becomes a list) and the JSON body. GREETING is the manifest's env.
            Answered = """{"query":{"expand":"items","tag":["a b","c"],"status":"201"},"body":{"quantity":3},"greeting":"Hello"}""",
        },
        FailingCalls = [new FailingCall(NodeEcho, "/throw", "boom from node-echo")],
        Lambda = new CalledFunction
        {
            Function = RuntimeFunction.InExample("node-lambda", "examples/node-lambda"),
            TimeoutMs = 10000,
            // The example answers 201 for a body with created: true; GREETING is the manifest's env.
            Answered = """{"message":"Hello, Ada!","input":{"created":true}}""",
            Headers = new Dictionary<string, string> { ["x-greeting"] = "Hello", ["Set-Cookie"] = "visited=yes; Path=/" },
        },
        Dependencies = new DependencyLayer
        {
            Example = "examples/node-deps",
            Function = "node-deps",
            Call = "/convert?duration=1.5h",
            Answered = """{"milliseconds":5400000,"long":"2 hours","path":"/convert"}""",
            Headers = new Dictionary<string, string> { ["X-Ms-Version"] = "2.1.3" }, // the version package-lock.json names
            InstallStep = "npm ci --omit=dev",
            SettingsStep = " : CMD ",
            CodeStep = "runtime/check.js",
            CodeChange = ("index.js", "const VERSION = 'v1';", "const VERSION = '{revision}';"),
            RevisionField = "version",
            OriginalRevision = "v1",
        },
        SyntaxError = new BrokenRepository
        {
            Example = "examples/node-workers",
            Files = new Dictionary<string, string>
            {
                ["epsilon.yaml"] = "runtime: node\nfunctions:\n  node-bad-syntax:\n    handler: src/worker.js:default\n",
                ["src/routes.js"] = "export async function route(request) {\n  return new Response('x'));\n}\n",
            },
            Expected = ["function 'node-bad-syntax': cannot load 'src/worker.js' (export 'default'): src/routes.js:2: SyntaxError: Unexpected token ')'"],
        },
        RejectedHandler = new BrokenRepository
        {
            Example = "examples/node-workers",
            Files = new Dictionary<string, string>
            {
                ["epsilon.yaml"] = "runtime: node\nfunctions:\n  node-bad-style:\n    handler: src/worker.js:default\n    style: lambda\n",
            },
            Expected = ["function 'node-bad-style': export 'default' of 'src/worker.js' is an object with 'fetch'; style lambda expects a function (event, context) => response"],
        },
        FailedInstall = new BrokenRepository
        {
            Example = "examples/node-deps",
            Files = new Dictionary<string, string>
            {
                ["epsilon.yaml"] = "runtime: node\nfunctions:\n  node-bad-lock:\n    handler: index.js:durations\n",
                // A dependency without its lock entry.
                ["package.json"] = """{ "name": "node-deps-example", "version": "1.0.0", "dependencies": { "ms": "2.1.3", "escape-html": "1.0.3" } }""",
            },
            Expected =
            [
                "function 'node-bad-lock': installing dependencies failed: EUSAGE: `npm ci` can only install packages when",
                "Missing: escape-html@1.0.3 from lock file",
            ],
        },
    };

    public static readonly RuntimeProfile Python = new()
    {
        Name = "python",
        Echo = new CalledFunction
        {
            Function = PythonEcho,
            TimeoutMs = 2000,
            // The Lambda event: queryStringParameters join a repeated key with commas, rawQueryString is as sent,
            // cookies are a list; the handler parses the JSON body. GREETING is the manifest's env.
            Answered = """
                {"query":{"expand":"items","tag":"a b,c","status":"201"},"body":{"quantity":3},
                 "rawQueryString":"expand=items&tag=a%20b&tag=c&status=201","cookies":["session=abc","theme=dark"],"greeting":"Hello"}
                """,
            Headers = new Dictionary<string, string> { ["Set-Cookie"] = "echo=1; Path=/" },
        },
        FailingCalls = [new FailingCall(PythonEcho, "/throw", "RuntimeError: boom from py-echo")],
        Lambda = new CalledFunction
        {
            Function = PythonEcho,
            TimeoutMs = 2000,
            Answered = """{"body":{"created":true},"rawQueryString":"name=Ada&x=1&x=2&status=201","functionName":"py-echo"}""",
            Headers = new Dictionary<string, string> { ["X-Echo"] = "yes", ["Set-Cookie"] = "echo=1; Path=/" },
        },
        Dependencies = new DependencyLayer
        {
            Example = "examples/python-deps",
            Function = "py-deps",
            Call = "/?name=Docker",
            Answered = """{"message":"Hello, Docker!","installedAt":"/opt/epsilon/deps/greeting/__init__.py"}""",
            InstallStep = "deps.py\", \"install\"",
            SettingsStep = " : CMD ",
            CodeStep = "epsilon_runtime.check",
            CodeChange = ("handler.py", "\"installedAt\": greeting.__file__,", "\"installedAt\": greeting.__file__,\n        \"revision\": \"{revision}\","),
            RevisionField = "revision",
        },
        SyntaxError = new BrokenRepository
        {
            Files = new Dictionary<string, string>
            {
                ["epsilon.yaml"] = "runtime: python\nfunctions:\n  py-broken:\n    handler: app/main.py:handler\n",
                ["app/main.py"] = "def handler(event, context):\n    return {\"statusCode\": 200\n\nx = 1\n",
            },
            Expected = ["function 'py-broken': cannot load 'app/main.py' (export 'handler'): app/main.py:2: SyntaxError:"],
        },
        RejectedHandler = new BrokenRepository
        {
            Files = new Dictionary<string, string>
            {
                ["epsilon.yaml"] = "runtime: python\nfunctions:\n  py-wrongsig:\n    handler: handler.py:handler\n",
                ["handler.py"] = "def handler(event):\n    return {}\n",
            },
            Expected = ["function 'py-wrongsig': export 'handler' of 'handler.py' takes 1 positional argument; expected handler(event, context)"],
        },
        FailedInstall = new BrokenRepository
        {
            Files = new Dictionary<string, string>
            {
                ["epsilon.yaml"] = "runtime: python\nfunctions:\n  py-badreq:\n    handler: handler.py:handler\n",
                ["handler.py"] = "def handler(event, context):\n    return 'never'\n",
                ["requirements.txt"] = "./vendor/missing-package\n",
            },
            Expected = ["function 'py-badreq': installing dependencies failed: ", "vendor/missing-package"],
        },
    };

    public static readonly RuntimeProfile Go = new()
    {
        Name = "go",
        Echo = new CalledFunction
        {
            Function = GoEcho,
            TimeoutMs = 2000,
            // r.URL.Query() has a list per key; the handler answers the body as the text it read.
            Answered = """{"query":{"expand":["items"],"tag":["a b","c"],"status":["201"]},"body":"{\"quantity\":3}","greeting":"Hello"}""",
        },
        FailingCalls = [new FailingCall(GoEcho, "/panic", "boom from go-echo")],
        Dependencies = new DependencyLayer
        {
            Example = "examples/go-deps",
            Function = "go-deps",
            Call = "/?name=Docker",
            Answered = """{"message":"Hello, Docker!"}""",
            InstallStep = "RUN [\"epsilon-go\", \"deps\"",
            SettingsStep = " : ENTRYPOINT ",
            CodeStep = "RUN [\"epsilon-go\", \"build\"",
            CodeChange = ("api/greet.go", "\"v1\"", "\"{revision}\""),
            RevisionField = "version",
            OriginalRevision = "v1",
        },
        SyntaxError = new BrokenRepository
        {
            Files = new Dictionary<string, string>
            {
                ["epsilon.yaml"] = "runtime: go\nfunctions:\n  go-broken:\n    handler: ./handlers:Broken\n",
                ["go.mod"] = "module example.com/broken\n\ngo 1.19\n",
                ["handlers/broken.go"] = "package handlers\n\nimport \"net/http\"\n\nfunc Broken(w http.ResponseWriter, r *http.Request) {\n\tw.Write(nope)\n}\n",
            },
            Expected = ["function 'go-broken': handlers/broken.go:6: undefined: nope"],
        },
        RejectedHandler = new BrokenRepository
        {
            Files = new Dictionary<string, string>
            {
                ["epsilon.yaml"] = "runtime: go\nfunctions:\n  go-wrongsig:\n    handler: .:Hello\n",
                ["hello.go"] = "package hello\n\nimport \"net/http\"\n\nfunc Hello(w http.ResponseWriter) {}\n",
            },
            Expected = ["function 'go-wrongsig': hello.go:5: func Hello has type func(w http.ResponseWriter); a handler is a func(w http.ResponseWriter, r *http.Request)"],
        },
        FailedInstall = new BrokenRepository
        {
            Files = new Dictionary<string, string>
            {
                ["epsilon.yaml"] = "runtime: go\nfunctions:\n  go-badmod:\n    handler: .:Hello\n",
                // A module no proxy has: the download fails whether the proxy is reachable or not (from here it is not).
                ["go.mod"] = "module example.com/badmod\n\ngo 1.19\n\nrequire example.com/missing v1.2.3\n",
                ["hello.go"] = "package hello\n\nimport \"net/http\"\n\nfunc Hello(w http.ResponseWriter, r *http.Request) {}\n",
            },
            Expected = ["function 'go-badmod': installing dependencies failed: example.com/missing@v1.2.3"],
        },
    };

    public static readonly RuntimeProfile Dotnet = new()
    {
        Name = "dotnet",
        Echo = new CalledFunction
        {
            Function = DotnetEcho,
            TimeoutMs = 3000,
            // ASP.NET Core's query joins a repeated key with commas (StringValues); the body is the text read.
            Answered = """{"query":{"expand":"items","tag":"a b,c","status":"201"},"body":"{\"quantity\":3}"}""",
        },
        FailingCalls =
        [
            new FailingCall(DotnetEcho, "/throw", "boom from dotnet-echo"),
            new FailingCall(DotnetLambda, "/throw", "boom from dotnet-lambda"),
        ],
        Lambda = new CalledFunction
        {
            Function = DotnetLambda,
            TimeoutMs = 15000, // the default
            // The example's HttpApiRequest keeps the body as the text sent.
            Answered = """
                {"version":"2.0","body":"{\"created\":true}","isBase64Encoded":false,"rawQueryString":"name=Ada&x=1&x=2&status=201",
                 "function":"dotnet-lambda"}
                """,
            Headers = new Dictionary<string, string> { ["X-Lambda"] = "yes" },
        },
        Dependencies = new DependencyLayer
        {
            // No package: the restore of the host and the function's project is the layer.
            Example = "examples/dotnet-echo",
            Function = "dotnet-echo",
            Call = "/?status=200",
            Answered = """{"method":"GET","path":"/"}""",
            InstallStep = "build.sh\", \"restore\"",
            SettingsStep = " : CMD ",
            CodeStep = "build.sh\", \"publish\"",
            CodeChange = ("Echo.cs", "calls,\n", "calls,\n            revision = \"{revision}\",\n"),
            RevisionField = "revision",
        },
        SyntaxError = new BrokenRepository
        {
            Files = new Dictionary<string, string>
            {
                ["epsilon.yaml"] = "runtime: dotnet\nfunctions:\n  dotnet-broken:\n    handler: src/Broken/Broken.csproj:Acme.Broken\n",
                ["src/Broken/Broken.csproj"] = DotnetLibraryProject,
                ["src/Broken/Broken.cs"] = """
                    namespace Acme;

                    public static class Broken
                    {
                        public static string HandleAsync(string input)
                        {
                            return input
                        }
                    }
                    """,
            },
            Expected = ["function 'dotnet-broken': src/Broken/Broken.cs(7,21): error CS1002: ; expected"],
        },
        RejectedHandler = new BrokenRepository
        {
            Files = new Dictionary<string, string>
            {
                ["epsilon.yaml"] = "runtime: dotnet\nfunctions:\n  dotnet-nohandler:\n    handler: Hello.csproj:Acme.Nope\n",
                ["Hello.csproj"] = DotnetLibraryProject,
                ["Hello.cs"] = """
                    namespace Acme;

                    public static class Hello
                    {
                        public static object HandleAsync(System.Text.Json.JsonElement @event) => new { statusCode = 200, body = "hi" };
                    }
                    """,
            },
            // The check names the types that have a handler method.
            Expected = ["function 'dotnet-nohandler': type 'Acme.Nope' not found in Hello.csproj", "'Acme.Hello'"],
        },
    };

    public static IReadOnlyList<RuntimeProfile> All { get; } = [Node, Python, Go, Dotnet];

    public static RuntimeProfile Named(string name) => All.Single(p => p.Name == name);

    /// <summary>The names of the runtimes whose row declares <paramref name="part"/>: a case's rows.</summary>
    public static TheoryData<string> Declaring(Func<RuntimeProfile, object?> part)
    {
        var rows = new TheoryData<string>();
        foreach (var profile in All.Where(p => part(p) is not null))
        {
            rows.Add(profile.Name);
        }

        return rows;
    }
}
