using System.Net;
using Epsilon.Aws.Tests.Stub;
using Epsilon.Gateway;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Hosting;

namespace Epsilon.Aws.Tests.Gateway;

/// <summary>
/// A real gateway (Kestrel, SQLite store, the local Docker engine) with the termination hook configured against the
/// stub: it drains when the instance's target lifecycle state becomes <c>Terminated</c> and completes the hook after.
/// </summary>
[Collection(AwsStubCollection.Name)]
public sealed class LifecycleHookWatcherTests(AwsStubFixture fixture) : IDisposable
{
    private readonly AwsStub _stub = fixture.Stub;
    private readonly string _root = Directory.CreateTempSubdirectory("epsilon-aws-").FullName;

    [Fact]
    public async Task Terminated_drains_the_gateway_and_then_completes_the_lifecycle_action_once()
    {
        var instanceId = "i-" + Guid.NewGuid().ToString("N")[..17];
        _stub.InstanceId = instanceId;
        _stub.GroupNameTag = "epsilon-gateways";
        _stub.LifecycleState = "InService";
        var app = GatewayApplication.Build(
        [
            "--urls=http://127.0.0.1:0",
            $"--Epsilon:Store:Path={Path.Combine(_root, "epsilon.db")}",
            $"--Epsilon:Gateway:Id=aws-{Guid.NewGuid().ToString("N")[..8]}",
            "--Epsilon:Gateway:RemoveContainersOnStop=true",
            "--Epsilon:Gateway:Fleet:DrainDelay=00:00:01.500",
            "--Epsilon:Gateway:Aws:LifecycleHookName=epsilon-drain",
            "--Epsilon:Gateway:Aws:PollInterval=00:00:00.200",
            "--Epsilon:Aws:Region=us-east-1",
            $"--Epsilon:Aws:AutoScalingEndpoint={_stub.BaseAddress}",
            $"--Epsilon:Aws:MetadataEndpoint={_stub.BaseAddress}",
            "--Logging:LogLevel:Default=Warning",
        ]);
        await using var _ = app;
        try
        {
            await app.StartAsync();
            var shutdown = app.WaitForShutdownAsync();
            using var client = new HttpClient { BaseAddress = new Uri(app.Urls.First()), Timeout = TimeSpan.FromSeconds(2) };
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/_epsilon/health")).StatusCode);
            await Task.Delay(500);
            Assert.False(shutdown.IsCompleted);
            Assert.Empty(Completions(instanceId));

            _stub.LifecycleState = "Terminated";
            var draining = 0;
            DateTimeOffset lastDraining = default;
            var deadline = DateTimeOffset.UtcNow.AddSeconds(30);
            while (!shutdown.IsCompleted && DateTimeOffset.UtcNow < deadline)
            {
                try
                {
                    using var health = await client.GetAsync("/_epsilon/health");
                    if (health.StatusCode == HttpStatusCode.ServiceUnavailable)
                    {
                        draining++;
                        lastDraining = DateTimeOffset.UtcNow;
                        Assert.Empty(Completions(instanceId));
                    }
                }
                catch (HttpRequestException)
                {
                    // The server stopped listening: the drain is over.
                }

                await Task.Delay(50);
            }

            await shutdown.WaitAsync(TimeSpan.FromSeconds(30));
            Assert.True(draining > 3, $"the health check answered 503 {draining} time(s) during the drain");

            var completion = Assert.Single(Completions(instanceId));
            Assert.True(completion.Signature!.Valid, completion.Signature.Reason);
            Assert.Equal(AwsStub.RoleAccessKey, completion.Signature.AccessKey);
            Assert.Equal("autoscaling", completion.Signature.Service);
            Assert.Equal("CompleteLifecycleAction", completion.Form["Action"]);
            Assert.Equal("epsilon-gateways", completion.Form["AutoScalingGroupName"]);
            Assert.Equal("epsilon-drain", completion.Form["LifecycleHookName"]);
            Assert.Equal("CONTINUE", completion.Form["LifecycleActionResult"]);
            Assert.True(completion.At > lastDraining, "the lifecycle action was completed before the drain ended");
        }
        finally
        {
            _stub.LifecycleState = "InService";
        }
    }

    private List<StubRequest> Completions(string instanceId) =>
        _stub.AutoScaling.Where(r => r.Form.TryGetValue("InstanceId", out var id) && id == instanceId).ToList();

    public void Dispose()
    {
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
