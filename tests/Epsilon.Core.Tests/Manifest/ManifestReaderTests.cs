using Epsilon.Core.Model;

namespace Epsilon.Core.Manifest;

public sealed class ManifestReaderTests
{
    private static readonly IReadOnlyDictionary<string, RuntimeRules> s_runtimes = new Dictionary<string, RuntimeRules>
    {
        ["node"] = TestRuntimes.Node,
        ["python"] = TestRuntimes.Node with { Name = "python" },
    };

    [Fact]
    public void Read_EveryKeySet_ParsesEachValueIntoFunctionConfig()
    {
        const string yaml = """
            runtime: node
            functions:
              hello:
                handler: src/hello.js:greet
                runtime: python
                timeout: 30s
                memory: 512Mi
                cpu: 0.5
                concurrency: 4
                maxContainers: 3
                minWarm: 1
                idleTimeout: 10m
                env:
                  API_URL: https://example.test/v1
                  LogLevel: debug
                  PORT: 8080
                public: false
              other:
                handler: index.handler
            """;
        var checkedFiles = new List<string>();

        var manifest = ManifestReader.Read(yaml, s_runtimes, (path, _) =>
        {
            checkedFiles.Add(path);
            return true;
        });

        Assert.Equal(["hello", "other"], manifest.Functions.Select(f => f.Name));
        var hello = manifest.Functions[0].Config;
        Assert.Equal("python", hello.Runtime);
        Assert.Equal("src/hello.js", hello.HandlerFile);
        Assert.Equal("greet", hello.HandlerExport);
        Assert.Equal(TimeSpan.FromSeconds(30), hello.Timeout);
        Assert.Equal(512L * 1024 * 1024, hello.MemoryBytes);
        Assert.Equal(0.5, hello.Cpu);
        Assert.Equal(4, hello.Concurrency);
        Assert.Equal(3, hello.MaxContainers);
        Assert.Equal(1, hello.MinWarm);
        Assert.Equal(TimeSpan.FromMinutes(10), hello.IdleTimeout);
        Assert.False(hello.Public);
        Assert.Equal(
            new Dictionary<string, string> { ["API_URL"] = "https://example.test/v1", ["LogLevel"] = "debug", ["PORT"] = "8080" },
            hello.Env);

        var other = manifest.Functions[1].Config;
        Assert.Equal("node", other.Runtime);
        Assert.Equal("index.js", other.HandlerFile);
        Assert.Equal("handler", other.HandlerExport);
        Assert.Equal(["src/hello.js", "index.js"], checkedFiles);
    }

    [Fact]
    public void Read_OnlyHandlerGiven_AppliesDefaults()
    {
        const string yaml = """
            runtime: node
            functions:
              hello:
                handler: index.js:hello
            """;

        var function = Assert.Single(ManifestReader.Read(yaml, s_runtimes, (_, _) => true).Functions);

        Assert.Equal("hello", function.Name);
        var config = function.Config;
        Assert.Equal("node", config.Runtime);
        Assert.Equal("index.js", config.HandlerFile);
        Assert.Equal("hello", config.HandlerExport);
        Assert.Null(config.Timeout);
        Assert.Equal(FunctionDefaults.MemoryBytes, config.MemoryBytes);
        Assert.Equal(FunctionDefaults.Cpu, config.Cpu);
        Assert.Equal(FunctionDefaults.Concurrency, config.Concurrency);
        Assert.Equal(FunctionDefaults.MaxContainers, config.MaxContainers);
        Assert.Equal(0, config.MinWarm);
        Assert.Equal(FunctionDefaults.IdleTimeout, config.IdleTimeout);
        Assert.Empty(config.Env);
        Assert.True(config.Public);
    }

    [Theory]
    [InlineData("index.js:hello", "index.js", "hello")]
    [InlineData("src/a.js:x", "src/a.js", "x")]
    [InlineData("index.handler", "index.js", "handler")]
    [InlineData("src/lib/main.handle", "src/lib/main.js", "handle")]
    [InlineData("lib/worker.mjs:$run", "lib/worker.mjs", "$run")]
    [InlineData("_util/x.cjs:_go", "_util/x.cjs", "_go")]
    public void Read_HandlerForms_SplitIntoFileAndExport(string handler, string file, string export)
    {
        var yaml = $"""
            runtime: node
            functions:
              hello:
                handler: "{handler}"
            """;

        var config = Assert.Single(ManifestReader.Read(yaml, s_runtimes, (_, _) => true).Functions).Config;

        Assert.Equal(file, config.HandlerFile);
        Assert.Equal(export, config.HandlerExport);
    }

    [Theory]
    [InlineData("../x.js:a")]
    [InlineData("/etc/passwd:a")]
    [InlineData("a.py:x")]
    [InlineData("index.js:1bad")]
    [InlineData("src/../../x.js:a")]
    [InlineData("./index.js:a")]
    [InlineData("index.js:")]
    [InlineData(":hello")]
    [InlineData("index")]
    [InlineData("index.js:a-b")]
    [InlineData("src\\\\a.js:x")]
    public void Read_UnsafeOrMalformedHandler_ReportsHandlerKeyAndLine(string handler)
    {
        var yaml = $"""
            runtime: node
            functions:
              hello:
                handler: "{handler}"
            """;
        var fileChecked = false;

        var error = SingleError(yaml, _ => fileChecked = true);

        Assert.Equal("functions.hello.handler", error.Key);
        Assert.Equal(4, error.Line);
        Assert.False(fileChecked, "a rejected handler must not be looked up on disk");
    }

    [Theory]
    [InlineData("../x.js:a")]
    [InlineData("/etc/passwd:a")]
    [InlineData("a.py:x")]
    [InlineData("index.js:1bad")]
    [InlineData("src/./a.js:x")]
    public void TrySplitHandler_RejectedHandler_ReturnsFalse(string handler)
    {
        Assert.False(TestRuntimes.Node.TrySplitHandler(handler, out _, out _));
    }

    [Fact]
    public void Read_UnknownRootKey_ReportsKeyAndLine()
    {
        const string yaml = """
            runtime: node
            region: eu
            functions:
              hello:
                handler: index.js:hello
            """;

        var error = SingleError(yaml);

        Assert.Equal("region", error.Key);
        Assert.Equal(2, error.Line);
        Assert.Contains("functions", error.Message);
    }

    [Fact]
    public void Read_UnknownFunctionKey_ReportsPathLineAndKnownKeys()
    {
        const string yaml = """
            runtime: node
            functions:
              hello:
                handler: index.js:hello
                memroy: 128Mi
            """;

        var error = SingleError(yaml);

        Assert.Equal("functions.hello.memroy", error.Key);
        Assert.Equal(5, error.Line);
        Assert.Contains("memory", error.Message);
    }

    [Theory]
    [InlineData("timeout", "forever")]
    [InlineData("timeout", "0s")]
    [InlineData("timeout", "25h")]
    [InlineData("idleTimeout", "5 minutes")]
    [InlineData("memory", "lots")]
    [InlineData("memory", "8Mi")]
    [InlineData("memory", "128MB")]
    [InlineData("cpu", "0")]
    [InlineData("cpu", "65")]
    [InlineData("cpu", "two")]
    [InlineData("concurrency", "0")]
    [InlineData("concurrency", "1.5")]
    [InlineData("concurrency", "1001")]
    [InlineData("maxContainers", "0")]
    [InlineData("minWarm", "-1")]
    [InlineData("public", "maybe")]
    public void Read_BadValue_ReportsKeyPathAndLineOfValue(string key, string value)
    {
        var yaml = $"""
            runtime: node
            functions:
              hello:
                handler: index.js:hello
                {key}: "{value}"
            """;

        var error = SingleError(yaml);

        Assert.Equal($"functions.hello.{key}", error.Key);
        Assert.Equal(5, error.Line);
        Assert.Contains(value, error.Message);
    }

    [Fact]
    public void Read_ConcurrencyZero_ReportsConcurrency()
    {
        const string yaml = """
            runtime: node
            functions:
              hello:
                handler: index.js:hello
                concurrency: 0
            """;

        var error = SingleError(yaml);

        Assert.Equal("functions.hello.concurrency", error.Key);
        Assert.Equal(5, error.Line);
    }

    [Fact]
    public void Read_MinWarmAboveMaxContainers_ReportsMinWarmAtItsLine()
    {
        const string yaml = """
            runtime: node
            functions:
              hello:
                handler: index.js:hello
                maxContainers: 2
                minWarm: 3
            """;

        var error = SingleError(yaml);

        Assert.Equal("functions.hello.minWarm", error.Key);
        Assert.Contains("maxContainers", error.Message);

        Assert.Equal(6, error.Line);
    }

    [Theory]
    [InlineData("Hello")]
    [InlineData("1abc")]
    [InlineData("hello_world")]
    [InlineData("a234567890123456789012345678901234567890123456789012345678901234")]
    public void Read_InvalidFunctionName_ReportsNameAndLine(string name)
    {
        var yaml = $"""
            runtime: node
            functions:
              {name}:
                handler: index.js:hello
            """;

        var error = SingleError(yaml);

        Assert.Equal($"functions.{name}", error.Key);
        Assert.Equal(3, error.Line);
        Assert.Contains(name, error.Message);
    }

    [Fact]
    public void Read_MissingHandler_ReportsHandlerKeyInsideTheFunction()
    {
        const string yaml = """
            runtime: node
            functions:
              hello:
                timeout: 5s
            """;

        var error = SingleError(yaml);

        Assert.Equal("functions.hello.handler", error.Key);

        // The key is absent, so the line points into the function's block: its name or its first key.
        Assert.InRange(error.Line, 3, 4);
    }

    [Fact]
    public void Read_HandlerFileMissing_ReportsFileAtHandlerLine()
    {
        const string yaml = """
            runtime: node
            functions:
              hello:
                timeout: 5s
                handler: src/missing.js:hello
            """;

        var error = SingleError(yaml, path => path != "src/missing.js");

        Assert.Equal("functions.hello.handler", error.Key);
        Assert.Equal(5, error.Line);
        Assert.Contains("src/missing.js", error.Message);
    }

    [Fact]
    public void Read_UnknownRootRuntime_ListsKnownRuntimes()
    {
        const string yaml = """
            runtime: ruby
            functions:
              hello:
                handler: index.js:hello
            """;

        var error = SingleError(yaml);

        Assert.Equal("runtime", error.Key);
        Assert.Equal(1, error.Line);
        Assert.Contains("ruby", error.Message);
        Assert.Contains("node", error.Message);
        Assert.Contains("python", error.Message);
    }

    [Fact]
    public void Read_UnknownFunctionRuntime_ReportsFunctionRuntimeKey()
    {
        const string yaml = """
            runtime: node
            functions:
              hello:
                handler: index.js:hello
                runtime: deno
            """;

        var error = SingleError(yaml);

        Assert.Equal("functions.hello.runtime", error.Key);
        Assert.Equal(5, error.Line);
        Assert.Contains("node", error.Message);
        Assert.Contains("python", error.Message);
    }

    [Fact]
    public void Read_NoRuntimeAnywhere_ReportsFunctionRuntimeWithKnownRuntimes()
    {
        const string yaml = """
            functions:
              hello:
                handler: index.js:hello
            """;

        var error = SingleError(yaml);

        Assert.Equal("functions.hello.runtime", error.Key);
        Assert.InRange(error.Line, 2, 3);
        Assert.Contains("node", error.Message);
    }

    [Fact]
    public void Read_NoRootRuntimeAndTwoFunctionsWithRuntimeProblems_ReportsBoth()
    {
        const string yaml = """
            functions:
              a:
                handler: index.js:a
                runtime: deno
              b:
                handler: index.js:b
            """;

        var errors = AllErrors(yaml);

        Assert.Equal(["functions.a.runtime", "functions.b.runtime"], errors.Select(e => e.Key));
    }

    [Fact]
    public void Read_InvalidAndReservedEnvNames_ReportsEachWithItsLine()
    {
        const string yaml = """
            runtime: node
            functions:
              hello:
                handler: index.js:hello
                env:
                  GOOD: value
                  1BAD: x
                  A-B: y
                  EPSILON_TOKEN: z
            """;

        var errors = AllErrors(yaml);

        Assert.Equal(
            [("functions.hello.env.1BAD", 7), ("functions.hello.env.A-B", 8), ("functions.hello.env.EPSILON_TOKEN", 9)],
            errors.Select(e => (e.Key, e.Line)));
        Assert.Contains("EPSILON_", errors[2].Message);
    }

    [Fact]
    public void Read_EnvNotAMapping_ReportsEnvKey()
    {
        const string yaml = """
            runtime: node
            functions:
              hello:
                handler: index.js:hello
                env: [A, B]
            """;

        var error = SingleError(yaml);

        Assert.Equal("functions.hello.env", error.Key);
        Assert.Equal(5, error.Line);
    }

    [Fact]
    public void Read_YamlSyntaxError_ReportsLineOfTheError()
    {
        const string yaml = """
            runtime: node
            functions:
              hello:
                handler: index.js:hello
                timeout: [5s
            """;

        var error = SingleError(yaml);

        Assert.Equal("(syntax)", error.Key);
        Assert.InRange(error.Line, 5, 6);
        Assert.False(string.IsNullOrWhiteSpace(error.Message));
    }

    [Fact]
    public void Read_BadIndentation_ReportsSyntaxErrorAtThatLine()
    {
        const string yaml = """
            runtime: node
            functions:
              hello:
                handler: index.js:hello
               timeout: 5s
            """;

        var error = SingleError(yaml);

        Assert.Equal("(syntax)", error.Key);
        Assert.Equal(5, error.Line);
    }

    [Fact]
    public void Read_DuplicateKey_IsReportedNotSilentlyOverwritten()
    {
        const string yaml = """
            runtime: node
            functions:
              hello:
                handler: index.js:hello
                handler: other.js:hello
            """;

        var error = SingleError(yaml);

        Assert.Equal(5, error.Line);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   \n\n")]
    [InlineData("# only a comment\n")]
    [InlineData("just a string")]
    [InlineData("- a\n- b\n")]
    public void Read_EmptyOrNonMappingFile_ReportsRoot(string yaml)
    {
        var error = SingleError(yaml);

        Assert.Equal("(root)", error.Key);
        Assert.InRange(error.Line, 0, 1);
        Assert.Contains("functions", error.Message);
    }

    [Fact]
    public void Read_NoFunctionsKey_ReportsFunctionsMissing()
    {
        var error = SingleError("runtime: node\n");

        Assert.Equal("functions", error.Key);
        Assert.Equal(1, error.Line);
    }

    [Fact]
    public void Read_EmptyFunctionsMapping_ReportsNoFunction()
    {
        const string yaml = """
            runtime: node
            functions: {}
            """;

        var error = SingleError(yaml);

        Assert.Equal("functions", error.Key);
        Assert.Equal(2, error.Line);
    }

    [Fact]
    public void Read_FunctionsWithoutValue_ReportsFunctions()
    {
        const string yaml = """
            runtime: node
            functions:
            """;

        var error = SingleError(yaml);

        Assert.Equal("functions", error.Key);
    }

    [Fact]
    public void Read_SeveralProblems_ReportsAllInFileOrder()
    {
        const string yaml = """
            runtime: node
            region: eu
            functions:
              hello:
                handler: index.js:hello
                timeout: forever
              Bad:
                handler: index.js:bad
                memory: 1Tb
              other:
                handler: missing.js:x
            """;

        var exception = Assert.Throws<ManifestException>(() => ManifestReader.Read(yaml, s_runtimes, (path, _) => path != "missing.js"));

        Assert.Equal(
            [
                ("region", 2),
                ("functions.hello.timeout", 6),
                ("functions.Bad", 7),
                ("functions.Bad.memory", 9),
                ("functions.other.handler", 11),
            ],
            exception.Errors.Select(e => (e.Key, e.Line)));
        Assert.Equal(EpsilonManifest.FileName, exception.FileName);
        Assert.Contains("line 6: functions.hello.timeout", exception.Message);
    }

    [Fact]
    public void Read_NonScalarKey_ReportsManifestError()
    {
        const string yaml = """
            runtime: node
            [a, b]: x
            functions:
              hello:
                handler: index.js:hello
            """;

        var error = SingleError(yaml);

        Assert.Equal(2, error.Line);
    }

    private static ManifestError SingleError(string yaml, Func<string, bool>? fileExists = null) =>
        Assert.Single(AllErrors(yaml, fileExists));

    private static IReadOnlyList<ManifestError> AllErrors(string yaml, Func<string, bool>? fileExists = null)
    {
        var exception = Assert.Throws<ManifestException>(() => ManifestReader.Read(yaml, s_runtimes, (path, _) => fileExists?.Invoke(path) ?? true));
        Assert.NotEmpty(exception.Errors);
        Assert.All(exception.Errors, e => Assert.False(string.IsNullOrWhiteSpace(e.Message)));
        return exception.Errors;
    }

    [Fact]
    public void Read_TheReservedNameInvoke_SaysItIsReserved()
    {
        var exception = Assert.Throws<ManifestException>(() =>
            ManifestReader.Read("runtime: node\nfunctions:\n  invoke:\n    handler: index.js:invoke\n", s_runtimes, (_, _) => true));

        var error = Assert.Single(exception.Errors);
        Assert.Equal("functions.invoke", error.Key);
        Assert.Contains("'invoke' is reserved", error.Message);
    }
}
