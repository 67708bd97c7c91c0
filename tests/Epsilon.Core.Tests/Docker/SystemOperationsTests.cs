namespace Epsilon.Core.Docker;

[Collection(DockerCollection.Name)]
public sealed class SystemOperationsTests(DockerFixture fixture)
{
    [Fact]
    public async Task Ping_answers_and_version_reports_API_1_41()
    {
        await fixture.Client.System.PingAsync();

        var version = await fixture.Client.System.GetVersionAsync();

        Assert.Equal("1.41", version.ApiVersion);
        Assert.Equal("linux", version.Os);
        Assert.False(string.IsNullOrEmpty(version.Version));
        Assert.False(string.IsNullOrEmpty(version.Arch));
        Assert.False(string.IsNullOrEmpty(version.MinAPIVersion));
        Assert.False(string.IsNullOrEmpty(version.KernelVersion));
    }

    [Fact]
    public async Task Events_report_the_start_and_death_of_a_labelled_container()
    {
        var uniqueLabel = Guid.NewGuid().ToString("N");
        var since = DateTimeOffset.UtcNow.AddSeconds(-1);
        var id = await fixture.CreateContainerAsync("exit 0", parameters => parameters.Labels!["epsilon.test.case"] = uniqueLabel);
        await fixture.Client.Containers.StartContainerAsync(id);

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var actions = new List<DockerEvent>();
        var parameters = new EventsParameters
        {
            Since = since,
            Filters = new Dictionary<string, IList<string>>
            {
                ["type"] = ["container"],
                ["label"] = [$"epsilon.test.case={uniqueLabel}"],
            },
        };
        await foreach (var dockerEvent in fixture.Client.System.MonitorEventsAsync(parameters, timeout.Token))
        {
            actions.Add(dockerEvent);
            if (dockerEvent.Action == "die")
            {
                break;
            }
        }

        Assert.Equal(["create", "start", "die"], actions.Select(dockerEvent => dockerEvent.Action));
        Assert.All(actions, dockerEvent =>
        {
            Assert.Equal("container", dockerEvent.Type);
            Assert.Equal(id, dockerEvent.Actor.ID);
            Assert.Equal(uniqueLabel, dockerEvent.Actor.Attributes!["epsilon.test.case"]);
            Assert.True(dockerEvent.TimeNano / 1_000_000_000 == dockerEvent.Time);
        });
        Assert.Equal("0", actions[^1].Actor.Attributes!["exitCode"]);
    }

    [Fact]
    public async Task The_event_stream_ends_at_until()
    {
        var now = DateTimeOffset.UtcNow;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var parameters = new EventsParameters { Since = now.AddSeconds(-1), Until = now.AddMilliseconds(500) };

        await foreach (var dockerEvent in fixture.Client.System.MonitorEventsAsync(parameters, timeout.Token))
        {
            Assert.InRange(dockerEvent.Time, parameters.Since.Value.ToUnixTimeSeconds(), parameters.Until.Value.ToUnixTimeSeconds() + 1);
        }

        Assert.False(timeout.IsCancellationRequested);
    }
}
