using System.Text.RegularExpressions;

namespace Epsilon.Core.Manifest;

public sealed class RuntimeRulesTests
{
    private static readonly RuntimeRules s_go = new(
        "go",
        [new HandlerPattern(new Regex(@"^(?<file>\.|(\./)?[A-Za-z0-9_][A-Za-z0-9._/-]*):(?<export>[A-Z][A-Za-z0-9_]*)$"))],
        ".:API",
        HandlerIsDirectory: true,
        []);

    private static readonly IReadOnlyDictionary<string, RuntimeRules> s_runtimes =
        new Dictionary<string, RuntimeRules> { ["node"] = TestRuntimes.Node, ["go"] = s_go };

    [Fact]
    public void TrySplitHandler_PatternEndingInDollar_StillRejectsATrailingNewline()
    {
        Assert.True(s_go.TrySplitHandler("./api:Handle", out _, out _));
        Assert.False(s_go.TrySplitHandler("./api:Handle\n", out _, out _));
    }

    [Fact]
    public void Read_StyleTheRuntimeKnows_IsKeptInTheConfig()
    {
        var manifest = ManifestReader.Read("runtime: node\nfunctions:\n  a:\n    handler: index.js:handler\n    style: lambda\n", s_runtimes, (_, _) => true);

        Assert.Equal("lambda", Assert.Single(manifest.Functions).Config.Style);
    }

    [Fact]
    public void Read_UnknownStyle_ReportsItWithTheKnownOnes()
    {
        var exception = Assert.Throws<ManifestException>(() =>
            ManifestReader.Read("runtime: node\nfunctions:\n  a:\n    handler: index.js:handler\n    style: rails\n", s_runtimes, (_, _) => true));

        var error = Assert.Single(exception.Errors);
        Assert.Equal("functions.a.style", error.Key);
        Assert.Equal(5, error.Line);
        Assert.Contains("lambda", error.Message);
    }

    [Fact]
    public void Read_RuntimeSetAfterTheHandler_ValidatesTheHandlerWithThatRuntime()
    {
        var asked = new List<(string Path, bool Directory)>();
        var manifest = ManifestReader.Read("runtime: node\nfunctions:\n  a:\n    handler: ./api:Hello\n    runtime: go\n", s_runtimes, (path, directory) =>
        {
            asked.Add((path, directory));
            return true;
        });

        var config = Assert.Single(manifest.Functions).Config;
        Assert.Equal(("./api", "Hello", "go"), (config.HandlerFile, config.HandlerExport, config.Runtime));
        Assert.Equal([("./api", true)], asked);
    }

    [Theory]
    [InlineData("../up:API")]
    [InlineData("/abs:API")]
    [InlineData(".:lowercase")]
    public void TrySplitHandler_DirectoryRuntime_RejectsUnsafeOrUnexported(string handler)
    {
        Assert.False(s_go.TrySplitHandler(handler, out _, out _));
    }
}
