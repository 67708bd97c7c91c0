using Epsilon.Core.Contracts;
using Microsoft.Extensions.Options;

namespace Epsilon.Builder.Runtimes;

/// <summary>The runtimes shipped with the builder (wrapper-runtime/, copied next to the tests) keep the wrapper protocol.</summary>
public sealed class RuntimeCatalogTests
{
    private static readonly RuntimeCatalog s_catalog = new(Options.Create(new BuilderOptions()));

    public static TheoryData<string> Runtimes => ["node", "python", "go", "dotnet"];

    [Fact]
    public void Catalog_HasEveryShippedRuntime()
    {
        Assert.Equal(["dotnet", "go", "node", "python"], s_catalog.Rules.Keys.Order(StringComparer.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Runtimes))]
    public void Handler_WithATrailingNewline_IsRejected(string runtime)
    {
        var rules = s_catalog.Get(runtime).Rules;

        Assert.True(rules.TrySplitHandler(rules.HandlerExample, out _, out _));
        Assert.False(rules.TrySplitHandler(rules.HandlerExample + "\n", out _, out _));
    }

    [Theory]
    [MemberData(nameof(Runtimes))]
    public void Template_GivesTheWrapperTheFunctionsSettings(string runtime)
    {
        var template = s_catalog.Get(runtime).DockerfileTemplate;

        Assert.Contains($"{WrapperEnvironment.FunctionName}=\"{{{{FUNCTION_NAME}}}}\"", template);
        Assert.Contains($"{WrapperEnvironment.HandlerFile}=\"{{{{HANDLER_FILE}}}}\"", template);
        Assert.Contains($"{WrapperEnvironment.HandlerExport}=\"{{{{HANDLER_EXPORT}}}}\"", template);
        Assert.Contains($"{WrapperEnvironment.Style}=\"{{{{STYLE}}}}\"", template);
        Assert.Contains($"\nEXPOSE {WrapperProtocol.Port}\n", template);
    }
}
