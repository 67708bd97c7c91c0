using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using Epsilon.Builder.Auth;

namespace Epsilon.Builder.Deployments;

/// <summary>
/// The builder holds a bounded number of deployments: one building and one waiting here; the next is answered 429
/// with Retry-After. Deployments are kept running by a Git host that accepts connections and never answers.
/// </summary>
public sealed class DeploymentQueueTests : IAsyncLifetime
{
    private readonly string _root = TempDirectory.Create("epsilon-queue");
    private readonly TcpListener _silentHost = new(IPAddress.Loopback, 0);
    private readonly List<Socket> _held = [];
    private RunningBuilder _builder = null!;
    private HttpClient _http = null!;

    public async Task InitializeAsync()
    {
        _silentHost.Start();
        _ = HoldConnectionsAsync();
        _builder = await RunningBuilder.StartAsync(_root, RunningBuilder.AdminToken,
            "--Epsilon:Builder:MaxConcurrentDeployments=1", "--Epsilon:Builder:MaxQueuedDeployments=1");
        _http = _builder.Client(RunningBuilder.AdminToken);
    }

    [Fact]
    public async Task A_deploy_past_the_queue_is_429_with_Retry_After_and_says_which_limit()
    {
        var repository = $"https://127.0.0.1:{((IPEndPoint)_silentHost.LocalEndpoint).Port}/acme/slow.git";
        for (var i = 0; i < 2; i++)
        {
            using var accepted = await _http.PostAsJsonAsync("/deployments?wait=false", new { repository });
            Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        }

        using var refused = await _http.PostAsJsonAsync("/deployments", new { repository });
        using var eserveless = await _http.PostAsJsonAsync("/api/projects", new { repository });

        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(30), refused.Headers.RetryAfter?.Delta);
        var error = (await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error");
        Assert.Equal("DeploymentQueueFull", error.GetProperty("code").GetString());
        Assert.Equal("the builder is busy: 1 deployment(s) are building and 1 more wait for their turn, the most it queues "
            + "(Epsilon:Builder:MaxQueuedDeployments); try again after 30 s", error.GetProperty("message").GetString());
        Assert.Equal(HttpStatusCode.TooManyRequests, eserveless.StatusCode);
        Assert.NotNull(eserveless.Headers.RetryAfter);
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        // Stopping the builder fails the deployments still fetching.
        await _builder.DisposeAsync();
        _silentHost.Stop();
        _held.ForEach(s => s.Dispose());
        TempDirectory.Delete(_root);
    }

    private async Task HoldConnectionsAsync()
    {
        try
        {
            while (true)
            {
                _held.Add(await _silentHost.AcceptSocketAsync());
            }
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
        }
    }
}
