using System.Net;
using System.Text.Json;

namespace Epsilon.Builder.Auth;

/// <summary>The local <c>tokens create</c> command: writes to the store the service uses and prints the secret once.</summary>
public sealed class TokenCommandTests : IDisposable
{
    private readonly string _root = TempDirectory.Create("epsilon-token-command");

    [Fact]
    public async Task TokensCreate_PrintsASecretTheServiceAccepts_WithTheScopeAsked()
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var exit = await TokenCommand.RunAsync(["create", "--name", "ops", "--scope", "admin", $"--Epsilon:Store:Path={Path.Combine(_root, "epsilon.db")}"],
            output, error);
        Assert.True(exit == 0, error.ToString());
        var secret = output.ToString().Trim();
        Assert.StartsWith("eps_", secret, StringComparison.Ordinal);
        Assert.DoesNotContain(secret, error.ToString(), StringComparison.Ordinal);

        output = new StringWriter();
        Assert.Equal(0, await TokenCommand.RunAsync(["create", "--name", "viewer", "--scope", "read", $"--Epsilon:Store:Path={Path.Combine(_root, "epsilon.db")}"],
            output, error));
        var reader = output.ToString().Trim();

        // No bootstrap token: the command's is the only way in.
        await using var builder = await RunningBuilder.StartAsync(_root, bootstrapToken: null);
        var tokens = JsonDocument.Parse(await builder.Client(secret).GetStringAsync("/tokens")).RootElement;
        Assert.Equal(["ops", "viewer"], tokens.EnumerateArray().Select(t => t.GetProperty("name").GetString()));
        Assert.Equal(HttpStatusCode.Forbidden, (await builder.Client(reader).GetAsync("/tokens")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await builder.Client(reader).GetAsync("/functions")).StatusCode);
    }

    [Theory]
    [InlineData("create", "--name", "x", "--scope", "root")]
    [InlineData("create", "--scope", "admin")]
    [InlineData("list")]
    [InlineData("create", "--name", "x", "--scope", "admin", "stray")]
    public async Task TokensCreate_WithBadArguments_ExitsTwoWithTheUsage(params string[] arguments)
    {
        var error = new StringWriter();
        Assert.Equal(2, await TokenCommand.RunAsync(arguments, new StringWriter(), error));
        Assert.Contains("usage:", error.ToString(), StringComparison.Ordinal);
    }

    public void Dispose() => TempDirectory.Delete(_root);
}
