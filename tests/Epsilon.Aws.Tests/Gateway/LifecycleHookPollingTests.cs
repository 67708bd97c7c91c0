using Epsilon.Aws.Metadata;
using Epsilon.Aws.Tests.Stub;
using Epsilon.Gateway.Aws;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Epsilon.Aws.Tests.Gateway;

/// <summary>The watcher's polling on a fake clock, against the stub's metadata service.</summary>
[Collection(AwsStubCollection.Name)]
public sealed class LifecycleHookPollingTests(AwsStubFixture fixture)
{
    private readonly AwsStub _stub = fixture.Stub;

    [Fact]
    public async Task Without_a_hook_name_the_metadata_service_is_never_read()
    {
        var before = _stub.MetadataReads.Count;
        var lifetime = new RecordingLifetime();
        using var watcher = Watcher(new LifecycleHookOptions(), new FakeTimeProvider(), lifetime);

        await watcher.StartAsync(CancellationToken.None);
        await watcher.ExecuteTask!;

        Assert.Equal(before, _stub.MetadataReads.Count);
        Assert.False(lifetime.StopRequested.IsCompleted);
    }

    [Fact]
    public async Task It_reads_the_state_once_per_interval_and_asks_the_application_to_stop_at_Terminated()
    {
        _stub.LifecycleState = "InService";
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var lifetime = new RecordingLifetime();
        using var watcher = Watcher(new LifecycleHookOptions { LifecycleHookName = "h", AutoScalingGroupName = "g", PollInterval = TimeSpan.FromSeconds(5) },
            clock, lifetime);
        try
        {
            var before = StateReads();
            await watcher.StartAsync(CancellationToken.None);
            await WaitUntil(() => StateReads() == before + 1);

            clock.Advance(TimeSpan.FromSeconds(4));
            await Task.Delay(200);
            Assert.Equal(before + 1, StateReads());

            clock.Advance(TimeSpan.FromSeconds(1));
            await WaitUntil(() => StateReads() == before + 2);
            Assert.False(lifetime.StopRequested.IsCompleted);

            _stub.LifecycleState = "Terminated";
            clock.Advance(TimeSpan.FromSeconds(5));
            await lifetime.StopRequested.WaitAsync(TimeSpan.FromSeconds(10));
            Assert.True(watcher.ScalingIn);
        }
        finally
        {
            _stub.LifecycleState = "InService";
            await watcher.StopAsync(CancellationToken.None);
        }
    }

    private int StateReads() => _stub.MetadataReads.Count(p => p == LifecycleHookWatcher.TargetLifecycleStatePath);

    private LifecycleHookWatcher Watcher(LifecycleHookOptions options, TimeProvider clock, RecordingLifetime lifetime)
    {
        var aws = Options.Create(StubClients.Options(_stub));
        return new LifecycleHookWatcher(new InstanceMetadataClient(aws, TimeProvider.System),
            StubClients.AutoScaling(StubClients.Aws(_stub, StubClients.Basic()), _stub), lifetime, Options.Create(options), clock,
            NullLogger<LifecycleHookWatcher>.Instance);
    }

    private static async Task WaitUntil(Func<bool> condition)
    {
        var deadline = DateTimeOffset.UtcNow.AddSeconds(10);
        while (!condition())
        {
            Assert.True(DateTimeOffset.UtcNow < deadline, "timed out");
            await Task.Delay(20);
        }
    }
}
