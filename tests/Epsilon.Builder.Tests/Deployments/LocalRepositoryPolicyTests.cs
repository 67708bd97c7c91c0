using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Epsilon.Builder.Auth;

namespace Epsilon.Builder.Deployments;

/// <summary>
/// A builder as shipped (Program's configuration) deploys only remote repositories: a path or file:// URL on its own
/// disk is refused before anything runs, unless the operator allows local repositories.
/// </summary>
public sealed class LocalRepositoryPolicyTests : IAsyncLifetime
{
    private readonly string _root = TempDirectory.Create("epsilon-local-policy");
    private RunningBuilder _builder = null!;
    private HttpClient _http = null!;

    public async Task InitializeAsync()
    {
        _builder = await RunningBuilder.StartAsync(_root, RunningBuilder.AdminToken);
        _http = _builder.Client(RunningBuilder.AdminToken);
    }

    [Theory]
    [InlineData("/etc")]
    [InlineData("/var/lib/epsilon/repositories/shop")]
    [InlineData("file:///srv/git/secret.git")]
    public async Task Deploy_OfALocalRepository_Is400NamingTheField_AndStartsNoDeployment(string repository)
    {
        using var response = await _http.PostAsJsonAsync("/deployments", new { repository });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error");
        Assert.Equal("InvalidRepository", error.GetProperty("code").GetString());
        Assert.Equal("repository", error.GetProperty("field").GetString());
        Assert.Contains("builder's own disk", error.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(_root, "builds")) && Directory.EnumerateFileSystemEntries(Path.Combine(_root, "builds")).Any());
    }

    [Fact]
    public async Task EserverlessProject_OfALocalRepository_IsRefusedToo()
    {
        using var response = await _http.PostAsJsonAsync("/api/projects", new { repository = "/etc" });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("builder's own disk", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _builder.DisposeAsync();
        TempDirectory.Delete(_root);
    }
}
