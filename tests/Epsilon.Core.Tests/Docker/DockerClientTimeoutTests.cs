namespace Epsilon.Core.Docker;

[Collection(DockerCollection.Name)]
public sealed class DockerClientTimeoutTests(DockerFixture fixture)
{
    [Fact]
    public async Task A_request_over_the_timeout_throws_TimeoutException_and_a_cancelled_one_OperationCanceledException()
    {
        using var client = DockerClientFactory.Create(new DockerClientOptions { RequestTimeout = TimeSpan.FromTicks(1) });

        await Assert.ThrowsAsync<TimeoutException>(() => client.System.GetVersionAsync());

        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => fixture.Client.System.GetVersionAsync(cancelled.Token));
    }

    [Fact]
    public async Task Waits_are_bounded_by_the_token_not_by_the_request_timeout()
    {
        // The bound must let a start through on a busy machine, and the wait must outlast it.
        using var client = DockerClientFactory.Create(new DockerClientOptions { RequestTimeout = TimeSpan.FromSeconds(3) });
        var id = await fixture.CreateContainerAsync("sleep 5; exit 5");
        await client.Containers.StartContainerAsync(id);

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        Assert.Equal(5, (await client.Containers.WaitContainerAsync(id, timeout.Token)).StatusCode);

        var sleeper = await fixture.CreateContainerAsync("sleep 30");
        await client.Containers.StartContainerAsync(sleeper);
        using var shortWait = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => client.Containers.WaitContainerAsync(sleeper, shortWait.Token));
        await client.Containers.KillContainerAsync(sleeper);
    }
}
