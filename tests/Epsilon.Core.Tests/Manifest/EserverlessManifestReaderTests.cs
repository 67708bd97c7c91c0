using System.Text.RegularExpressions;

namespace Epsilon.Core.Manifest;

public sealed class EserverlessManifestReaderTests
{
    private static readonly IReadOnlyDictionary<string, RuntimeRules> s_runtimes = new Dictionary<string, RuntimeRules>
    {
        ["node"] = TestRuntimes.Node,
        ["go"] = new("go", [new HandlerPattern(new Regex(@"^(?<file>\.):(?<export>[A-Z]\w*)$"))], ".:API", true, []),
    };

    private const string Node = """
        repo: https://github.com/Evan/Node-Example
        runtime: node
        functions:
        - name: API
          type: http
        - name: Ticker
          type: cron
          schedule: "*/1 * * * *"
        """;

    [Fact]
    public void Read_NodeProject_MapsHttpFunctionsToPlainHandlersInFunctionsJs()
    {
        var project = EserverlessManifestReader.Read(Node, "/ignored", s_runtimes, (_, _) => true);

        Assert.Equal("evan-node-example", project.Project);
        var function = Assert.Single(project.Manifest.Functions);
        Assert.Equal("evan-node-example-api", function.Name);
        Assert.Equal(("node", "functions.js", "API", "plain"), (function.Config.Runtime, function.Config.HandlerFile, function.Config.HandlerExport, function.Config.Style));
        Assert.Equal(new ScheduledFunction("evan-node-example-ticker", "*/1 * * * *"), Assert.Single(project.Scheduled));
    }

    [Fact]
    public void Read_GolangProject_MapsToTheRootPackage()
    {
        var project = EserverlessManifestReader.Read("runtime: golang\nfunctions:\n- name: API\n  type: http\n",
            "https://github.com/acme/go-fns.git", s_runtimes, (path, directory) => path == "." && directory);

        var function = Assert.Single(project.Manifest.Functions);
        Assert.Equal("acme-go-fns-api", function.Name);
        Assert.Equal(("go", ".", "API"), (function.Config.Runtime, function.Config.HandlerFile, function.Config.HandlerExport));
    }

    [Theory]
    [InlineData("runtime: ruby\nfunctions:\n- name: API\n", "runtime", 1)]
    [InlineData("runtime: node\nfunctions: []\n", "functions", 2)]
    [InlineData("runtime: node\nfunctions:\n- name: API\n  type: queue\n", "functions[0].type", 4)]
    [InlineData("runtime: node\nfunctions:\n- type: http\n", "functions[0]", 3)]
    public void Read_InvalidManifest_NamesTheKeyAndLine(string yaml, string key, int line)
    {
        var exception = Assert.Throws<ManifestException>(() =>
            EserverlessManifestReader.Read(yaml, "https://github.com/a/b", s_runtimes, (_, _) => true));

        var error = Assert.Single(exception.Errors);
        Assert.Equal((key, line), (error.Key, error.Line));
    }

    [Fact]
    public void Read_NodeProjectWithoutFunctionsJs_SaysSo()
    {
        var exception = Assert.Throws<ManifestException>(() => EserverlessManifestReader.Read(Node, "/x", s_runtimes, (_, _) => false));

        Assert.Contains("functions.js", Assert.Single(exception.Errors).Message);
    }

    [Fact]
    public void Read_NameWithUnderscores_ReplacesThemAsTheNamingRuleSays()
    {
        var project = EserverlessManifestReader.Read("runtime: node\nfunctions:\n- name: list_items\n", "https://github.com/acme/shop", s_runtimes, (_, _) => true);

        Assert.Equal("acme-shop-list-items", Assert.Single(project.Manifest.Functions).Name);
    }

    [Fact]
    public void Read_TwoNamesGivingOneFunctionName_NamesBoth()
    {
        var exception = Assert.Throws<ManifestException>(() => EserverlessManifestReader.Read(
            "runtime: node\nfunctions:\n- name: listItems\n- name: ListItems\n", "https://github.com/acme/shop", s_runtimes, (_, _) => true));

        var error = Assert.Single(exception.Errors);
        Assert.Equal(("functions[1].name", 4), (error.Key, error.Line));
        Assert.Equal("'ListItems' and 'listItems' are both named 'acme-shop-listitems'", error.Message);
    }
}
