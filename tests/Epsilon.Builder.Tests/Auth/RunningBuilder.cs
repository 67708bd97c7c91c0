using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Epsilon.Tests.Shared;
using Microsoft.Extensions.Logging;

namespace Epsilon.Builder.Auth;

/// <summary>A builder on a real port and a SQLite store, every log line it writes (at Trace) kept for inspection.</summary>
internal sealed class RunningBuilder : IAsyncDisposable
{
    private readonly WebApplication _app;

    private RunningBuilder(WebApplication app, LogCapture logs)
    {
        _app = app;
        Logs = logs;
        Url = new Uri(app.Urls.First());
    }

    /// <summary>A bootstrap admin token for tests that only need to be let in.</summary>
    public const string AdminToken = "test-admin-token-0123456789abcdef0123456789";

    public Uri Url { get; }

    public LogCapture Logs { get; }

    public static async Task<RunningBuilder> StartAsync(string root, string? bootstrapToken, params string[] arguments)
    {
        var app = BuilderApplication.Build(
        [
            "--urls=http://127.0.0.1:0",
            $"--Epsilon:Store:Path={Path.Combine(root, "epsilon.db")}",
            $"--Epsilon:Builder:WorkDirectory={Path.Combine(root, "builds")}",
            "--Logging:LogLevel:Default=Trace",
            .. bootstrapToken is null ? Array.Empty<string>() : [$"--Epsilon:Builder:Auth:BootstrapToken={bootstrapToken}"],
            .. arguments,
        ]);
        var logs = new LogCapture();
        app.Services.GetRequiredService<ILoggerFactory>().AddProvider(logs);
        await app.StartAsync();
        return new RunningBuilder(app, logs);
    }

    /// <summary>A client sending <paramref name="token"/> as its bearer token, or no Authorization at all.</summary>
    public HttpClient Client(string? token = null, string scheme = "Bearer")
    {
        var client = new HttpClient { BaseAddress = Url, Timeout = TimeSpan.FromSeconds(60) };
        if (token is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue(scheme, token);
        }

        return client;
    }

    /// <summary>Creates a token through the API with <paramref name="admin"/>; returns its id and secret.</summary>
    public async Task<(string Id, string Secret)> CreateTokenAsync(string admin, string name, string scope, params string[] repositories)
    {
        using var client = Client(admin);
        using var response = await client.PostAsJsonAsync("/tokens", new { name, scope, repositories });
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(response.StatusCode == System.Net.HttpStatusCode.Created, $"POST /tokens answered {(int)response.StatusCode}: {body}");
        return (body.GetProperty("id").GetString()!, body.GetProperty("token").GetString()!);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
