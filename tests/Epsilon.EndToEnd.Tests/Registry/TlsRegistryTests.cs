using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Epsilon.Builder;
using Epsilon.EndToEnd.Tests.Infrastructure;
using Epsilon.Gateway;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Epsilon.EndToEnd.Tests.Registry;

/// <summary>
/// The builder pushes to and a gateway pulls from a registry that serves TLS only and wants basic auth, through their
/// own code paths (the deploy API, a call that cold-starts), with the engine trusting the registry's CA by certs.d.
/// Each test runs its own builder and gateway on a fresh store, with their logs captured to look for the password.
/// </summary>
public sealed class TlsRegistryTests : IClassFixture<TlsRegistry>, IAsyncLifetime
{
    private readonly TlsRegistry _registry;
    private readonly string _root = Directory.CreateTempSubdirectory("epsilon-regtls-platform-").FullName;
    private readonly ConcurrentQueue<string> _logs = new();
    private readonly List<WebApplication> _apps = [];
    private readonly string _gatewayId = "e2e-" + Guid.NewGuid().ToString("N")[..8];

    public TlsRegistryTests(TlsRegistry registry) => _registry = registry;

    private string StorePath => Path.Combine(_root, "epsilon.db");

    private string[] WithPasswordFile => [$"--Epsilon:Registry:Username={TlsRegistry.Username}", $"--Epsilon:Registry:PasswordFile={_registry.PasswordFile}"];

    [Fact]
    public async Task A_deploy_pushes_with_the_password_file_and_a_gateway_pulls_the_image_and_runs_it()
    {
        var builder = await StartBuilderAsync(WithPasswordFile);
        var deploy = await DeployHelloAsync(builder);
        Assert.True(deploy.Status == 201, $"deploy answered {deploy.Status}: {deploy.Body}");
        var image = $"{_registry.Address}/hello:v1";
        await _registry.RemoveLocalImagesAsync();

        var gateway = await StartGatewayAsync(WithPasswordFile);
        using var response = await gateway.GetAsync("/hello/?name=TLS");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("Hello, TLS!", await response.Content.ReadAsStringAsync());
        Assert.True(await _registry.HasLocalImageAsync(image), "the gateway did not pull the image");
        AssertNoPasswordLogged();
    }

    [Fact]
    public async Task Without_credentials_the_push_and_the_pull_are_refused_with_the_registrys_reason()
    {
        var refused = await DeployHelloAsync(await StartBuilderAsync());
        Assert.Equal(422, refused.Status);
        var error = refused.Body.GetProperty("error").GetProperty("message").GetString()!;
        Assert.Contains($"pushing {_registry.Address}/hello:v1 failed: no basic auth credentials (the registry {_registry.Address} refused the credentials: set Epsilon:Registry:Username with Password or PasswordFile)", error);

        // The image is in the registry and not on this engine: the gateway without credentials must pull and cannot.
        var pushed = await DeployHelloAsync(await StartBuilderAsync(WithPasswordFile, Path.Combine(_root, "other.db")));
        Assert.True(pushed.Status == 201, $"deploy answered {pushed.Status}: {pushed.Body}");
        await _registry.RemoveLocalImagesAsync();
        var gateway = await StartGatewayAsync([], Path.Combine(_root, "other.db"));

        using var response = await gateway.GetAsync("/hello/");

        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadGateway, body);
        Assert.Equal(
            $"function 'hello' could not be started: pulling '{_registry.Address}/hello:v1' failed: Head \"https://{_registry.Address}/v2/hello/manifests/v1\": "
            + $"no basic auth credentials (the registry {_registry.Address} refused the credentials: set Epsilon:Registry:Username with Password or PasswordFile)",
            JsonDocument.Parse(body).RootElement.GetProperty("error").GetProperty("message").GetString());
        AssertNoPasswordLogged();
    }

    [Fact]
    public async Task A_wrong_password_is_refused_without_being_shown()
    {
        const string wrong = "not-the-Pa55word";
        var refused = await DeployHelloAsync(await StartBuilderAsync([$"--Epsilon:Registry:Username={TlsRegistry.Username}", $"--Epsilon:Registry:Password={wrong}"]));

        Assert.Equal(422, refused.Status);
        var error = refused.Body.GetProperty("error").GetProperty("message").GetString()!;
        Assert.Contains($"pushing {_registry.Address}/hello:v1 failed", error);
        Assert.Contains("unauthorized", error);
        Assert.Contains("refused the credentials", error);
        Assert.DoesNotContain(wrong, refused.Body.ToString());
        Assert.DoesNotContain(_logs, line => line.Contains(wrong, StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_engine_that_trusts_another_CA_refuses_the_registrys_certificate()
    {
        _registry.TrustInEngine(_registry.OtherCaPath);
        try
        {
            var refused = await DeployHelloAsync(await StartBuilderAsync(WithPasswordFile));

            Assert.Equal(422, refused.Status);
            var error = refused.Body.GetProperty("error").GetProperty("message").GetString()!;
            Assert.Contains("x509: certificate signed by unknown authority", error);
            Assert.Contains($"put the CA that signed it in /etc/docker/certs.d/{_registry.Address}/ca.crt", error);
        }
        finally
        {
            _registry.TrustInEngine(_registry.CaPath);
        }
    }

    [Fact]
    public async Task The_registry_serves_TLS_only_to_clients_trusting_its_CA_and_wants_the_password()
    {
        using var trusting = _registry.Client(trustingTheTestCa: true);
        using var other = _registry.Client(trustingTheTestCa: false);
        var api = $"https://{_registry.Address}/v2/";

        Assert.Equal(HttpStatusCode.Unauthorized, (await trusting.GetAsync(api)).StatusCode);
        using var login = new HttpRequestMessage(HttpMethod.Get, api);
        login.Headers.Authorization = new("Basic", Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"{TlsRegistry.Username}:{TlsRegistry.Password}")));
        Assert.Equal(HttpStatusCode.OK, (await trusting.SendAsync(login)).StatusCode);
        var refused = await Assert.ThrowsAsync<HttpRequestException>(() => other.GetAsync(api));
        Assert.Equal(HttpRequestError.SecureConnectionError, refused.HttpRequestError);
        // Plain HTTP gets Go's TLS server's 400 ("Client sent an HTTP request to an HTTPS server"), never the API.
        Assert.Equal(HttpStatusCode.BadRequest, (await trusting.GetAsync($"http://{_registry.Address}/v2/")).StatusCode);
    }

    [Fact]
    public async Task A_password_file_that_cannot_be_read_fails_the_start_naming_the_file_only()
    {
        var missing = Path.Combine(_root, "no-such-password");

        var error = await Assert.ThrowsAnyAsync<Exception>(() => StartBuilderAsync(
            [$"--Epsilon:Registry:Username={TlsRegistry.Username}", $"--Epsilon:Registry:PasswordFile={missing}"]));

        Assert.Contains($"Epsilon:Registry:PasswordFile '{missing}' cannot be read", error.Message);
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var app in _apps)
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }

        await _registry.RemoveLocalImagesAsync();
        Directory.Delete(_root, recursive: true);
    }

    private async Task<(int Status, JsonElement Body)> DeployHelloAsync(HttpClient builder)
    {
        using var repository = TestRepository.FromDirectory("examples/hello-node");
        using var response = await builder.PostAsJsonAsync("/deployments", new { repository = repository.Path });
        return ((int)response.StatusCode, await response.Content.ReadFromJsonAsync<JsonElement>());
    }

    private async Task<HttpClient> StartBuilderAsync(string[]? registry = null, string? store = null)
    {
        var app = BuilderApplication.Build(
        [
            "--urls=http://127.0.0.1:0",
            $"--Epsilon:Store:Path={store ?? StorePath}",
            $"--Epsilon:Builder:WorkDirectory={Path.Combine(_root, "builds")}",
            "--Epsilon:Builder:GatewayUrl=http://127.0.0.1:9",
            "--Epsilon:Builder:AllowLocalRepositories=true",
            $"--Epsilon:Registry:Address={_registry.Address}",
            .. registry ?? [],
            TestAdmin.BuilderArgument,
        ]);
        await StartAsync(app);
        return TestAdmin.Authorize(new HttpClient { BaseAddress = new Uri(app.Urls.First()), Timeout = TimeSpan.FromMinutes(5) });
    }

    private async Task<HttpClient> StartGatewayAsync(string[] registry, string? store = null)
    {
        var app = GatewayApplication.Build(
        [
            "--urls=http://127.0.0.1:0",
            $"--Epsilon:Store:Path={store ?? StorePath}",
            $"--Epsilon:Gateway:Id={_gatewayId}",
            "--Epsilon:Gateway:RemoveContainersOnStop=true",
            $"--Epsilon:Registry:Address={_registry.Address}",
            .. registry,
        ]);
        await StartAsync(app);
        return new HttpClient { BaseAddress = new Uri(app.Urls.First()), Timeout = TimeSpan.FromSeconds(90) };
    }

    private async Task StartAsync(WebApplication app)
    {
        // Every log line of the process, at every level, to look for the password in; added before start so nothing is missed.
        app.Services.GetRequiredService<ILoggerFactory>().AddProvider(new CapturingLoggerProvider(_logs));
        try
        {
            await app.StartAsync();
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }

        _apps.Add(app);
    }

    private void AssertNoPasswordLogged()
    {
        Assert.NotEmpty(_logs);
        Assert.DoesNotContain(_logs, line => line.Contains(TlsRegistry.Password, StringComparison.Ordinal));
    }

    private sealed class CapturingLoggerProvider(ConcurrentQueue<string> lines) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => new Logger(categoryName, lines);

        public void Dispose()
        {
        }

        private sealed class Logger(string category, ConcurrentQueue<string> lines) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                lines.Enqueue($"{logLevel} {category}[{eventId.Id}] {formatter(state, exception)} {exception}");
        }
    }
}
