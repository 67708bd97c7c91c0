using System.Text.Json;
using System.Text.Json.Nodes;
using Epsilon.Builder.Auth;

namespace Epsilon.Builder.Api;

/// <summary>
/// The OpenAPI document the builder serves is the one checked in (<c>builder/openapi.json</c>), every operation in it is
/// documented, and it holds every call the CLI makes. After a change of the API, regenerate the file with
/// <c>EPSILON_UPDATE_OPENAPI=1 dotnet test tests/Epsilon.Builder.Tests --filter OpenApiDocument</c> and review its diff.
/// </summary>
public sealed class OpenApiDocumentTests : IAsyncLifetime
{
    private static readonly string s_checkedIn = Path.Combine(SourceRoot(), "builder", "openapi.json");
    private readonly string _root = TempDirectory.Create("epsilon-openapi");
    private RunningBuilder _builder = null!;
    private JsonNode _served = null!;

    public async Task InitializeAsync()
    {
        _builder = await RunningBuilder.StartAsync(_root, RunningBuilder.AdminToken);
        using var http = _builder.Client(RunningBuilder.AdminToken);
        _served = JsonNode.Parse(await http.GetStringAsync("/openapi/v1.json"))!;
    }

    [Fact]
    public async Task ServedDocument_IsTheCheckedInOne()
    {
        var text = _served.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n";
        if (Environment.GetEnvironmentVariable("EPSILON_UPDATE_OPENAPI") == "1")
        {
            await File.WriteAllTextAsync(s_checkedIn, text);
        }

        Assert.True(File.Exists(s_checkedIn), $"{s_checkedIn} is missing: generate it (see this test's summary)");
        var checkedIn = JsonNode.Parse(await File.ReadAllTextAsync(s_checkedIn));
        Assert.True(JsonNode.DeepEquals(checkedIn, _served),
            "builder/openapi.json differs from what the builder serves: regenerate it with EPSILON_UPDATE_OPENAPI=1 (see this test's summary)");
    }

    [Fact]
    public void EveryOperation_HasASummary_AndItsAnswersDocumented()
    {
        foreach (var (path, operations) in _served["paths"]!.AsObject())
        {
            foreach (var (method, operation) in operations!.AsObject())
            {
                Assert.False(string.IsNullOrEmpty((string?)operation!["summary"]), $"{method} {path} has no summary: add it to Api/ApiDocumentation.cs");
                var responses = operation["responses"]!.AsObject();
                Assert.True(responses.Any(r => (string?)r.Value!["description"] != "OK"), $"{method} {path}: its answers are not documented");
            }
        }
    }

    [Theory]
    // What cli/Epsilon.Cli calls: it may use only what the document holds.
    [InlineData("get", "/_epsilon/health")]
    [InlineData("post", "/deployments")]
    [InlineData("get", "/deployments/{id}")]
    [InlineData("get", "/deployments/{id}/log")]
    [InlineData("get", "/functions")]
    [InlineData("get", "/functions/{name}")]
    [InlineData("get", "/functions/{name}/versions")]
    [InlineData("post", "/functions/{name}/rollback")]
    [InlineData("get", "/functions/stale")]
    [InlineData("post", "/functions/rebuild")]
    [InlineData("delete", "/functions/{name}")]
    [InlineData("post", "/functions/{name}/keys")]
    [InlineData("get", "/functions/{name}/keys")]
    [InlineData("delete", "/functions/{name}/keys/{id}")]
    [InlineData("post", "/tokens")]
    [InlineData("get", "/tokens")]
    [InlineData("delete", "/tokens/{id}")]
    [InlineData("get", "/audit")]
    public void TheDocument_HoldsEveryCallTheCliMakes(string method, string path) =>
        Assert.NotNull(_served["paths"]?[path]?[method]);

    public async Task DisposeAsync()
    {
        await _builder.DisposeAsync();
        TempDirectory.Delete(_root);
    }

    private static string SourceRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Epsilon.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("Epsilon.sln not found above " + AppContext.BaseDirectory);
    }
}
