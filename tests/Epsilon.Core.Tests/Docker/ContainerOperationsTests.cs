using System.Net;

namespace Epsilon.Core.Docker;

[Collection(DockerCollection.Name)]
public sealed class ContainerOperationsTests(DockerFixture fixture)
{
    private const string Chatty = "echo out; echo err >&2; sleep 30";

    private IContainerOperations Containers => fixture.Client.Containers;

    [Fact]
    public async Task Start_runs_the_container_on_the_bridge_and_a_second_start_returns_false()
    {
        var id = await fixture.CreateContainerAsync(Chatty, parameters => parameters.HostConfig = new HostConfig { Init = true });

        Assert.True(await Containers.StartContainerAsync(id));
        Assert.False(await Containers.StartContainerAsync(id));

        var inspect = await Containers.InspectContainerAsync(id);
        Assert.Equal(id, inspect.ID);
        Assert.True(inspect.State.Running);
        Assert.Equal("running", inspect.State.Status);
        Assert.True(inspect.State.Pid > 0);
        Assert.Equal(DockerFixture.BaseImage, inspect.Config.Image);
        Assert.Equal("true", inspect.Config.Labels![DockerFixture.TestLabel]);
        Assert.StartsWith("sha256:", inspect.Image, StringComparison.Ordinal);
        Assert.InRange(inspect.Created, DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddMinutes(1));
        Assert.True(IPAddress.TryParse(inspect.NetworkSettings.IPAddress, out _), $"'{inspect.NetworkSettings.IPAddress}' is no IP address");
        Assert.Equal(inspect.NetworkSettings.IPAddress, inspect.NetworkSettings.Networks!["bridge"].IPAddress);

        // With an init process as PID 1, the shell gets SIGTERM and stops at once.
        Assert.True(await Containers.StopContainerAsync(id, waitBeforeKillSeconds: 5));
        Assert.False(await Containers.StopContainerAsync(id, waitBeforeKillSeconds: 5));
        Assert.False((await Containers.InspectContainerAsync(id)).State.Running);
    }

    [Fact]
    public async Task List_by_label_finds_the_container_and_honours_the_status_filter()
    {
        var uniqueLabel = Guid.NewGuid().ToString("N");
        var id = await fixture.CreateContainerAsync(Chatty, parameters => parameters.Labels!["epsilon.test.case"] = uniqueLabel);
        var byLabel = new Dictionary<string, string?> { ["epsilon.test.case"] = uniqueLabel, [DockerFixture.TestLabel] = null };

        var running = await Containers.ListContainersAsync(new ContainersListParameters { Labels = byLabel });
        Assert.Empty(running);

        var all = await Containers.ListContainersAsync(new ContainersListParameters { All = true, Labels = byLabel });
        var listed = Assert.Single(all);
        Assert.Equal(id, listed.ID);
        Assert.Equal("created", listed.State);
        Assert.Equal(uniqueLabel, listed.Labels!["epsilon.test.case"]);
        Assert.StartsWith("/epsilon-test-container-", Assert.Single(listed.Names), StringComparison.Ordinal);
        Assert.True(listed.Created > 0);

        var exited = await Containers.ListContainersAsync(new ContainersListParameters { All = true, Labels = byLabel, Status = ["exited"] });
        Assert.Empty(exited);
    }

    [Fact]
    public async Task Logs_are_demultiplexed_into_stdout_and_stderr_lines()
    {
        var id = await fixture.CreateContainerAsync(Chatty);
        await Containers.StartContainerAsync(id);

        List<ContainerLogLine> lines = [];
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        while (lines.Count < 2)
        {
            await Task.Delay(100, timeout.Token);
            lines = await ToListAsync(Containers.GetContainerLogsAsync(id, new ContainerLogsParameters(), timeout.Token));
        }

        Assert.Contains(lines, line => line is { Stream: ContainerLogStream.Stdout, Text: "out" });
        Assert.Contains(lines, line => line is { Stream: ContainerLogStream.Stderr, Text: "err" });

        var stderrOnly = await ToListAsync(Containers.GetContainerLogsAsync(id, new ContainerLogsParameters { ShowStdout = false, Timestamps = true }));
        var line = Assert.Single(stderrOnly);
        Assert.Equal(ContainerLogStream.Stderr, line.Stream);
        Assert.EndsWith(" err", line.Text, StringComparison.Ordinal);

        await Containers.KillContainerAsync(id);
    }

    [Fact]
    public async Task A_followed_log_ends_when_the_container_exits()
    {
        // The last line ends with a line break: dockerd 20.10 may end a followed stream at exit before flushing a partial line.
        var id = await fixture.CreateContainerAsync("echo one; echo two >&2; sleep 1; printf 'three\\nfour\\n'");
        await Containers.StartContainerAsync(id);

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var lines = await ToListAsync(Containers.GetContainerLogsAsync(id, new ContainerLogsParameters { Follow = true }, timeout.Token));

        Assert.Equal(["one", "three", "four"], lines.Where(line => line.Stream == ContainerLogStream.Stdout).Select(line => line.Text));
        Assert.Equal(["two"], lines.Where(line => line.Stream == ContainerLogStream.Stderr).Select(line => line.Text));
        Assert.False((await Containers.InspectContainerAsync(id)).State.Running);
    }

    [Fact]
    public async Task Wait_returns_the_exit_code()
    {
        var id = await fixture.CreateContainerAsync("sleep 0.5; exit 3");
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await Containers.StartContainerAsync(id, timeout.Token);

        var result = await Containers.WaitContainerAsync(id, timeout.Token);

        Assert.Equal(3, result.StatusCode);
        Assert.Null(result.ErrorMessage);
        Assert.Equal(3, (await Containers.InspectContainerAsync(id)).State.ExitCode);
    }

    [Fact]
    public async Task Kill_ends_the_container_with_137_and_a_second_kill_is_a_conflict()
    {
        var id = await fixture.CreateContainerAsync(Chatty);
        await Containers.StartContainerAsync(id);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var wait = Containers.WaitContainerAsync(id, timeout.Token);

        await Containers.KillContainerAsync(id);

        Assert.Equal(137, (await wait).StatusCode);
        var conflict = await Assert.ThrowsAsync<DockerApiException>(() => Containers.KillContainerAsync(id));
        Assert.Equal(HttpStatusCode.Conflict, conflict.StatusCode);
        Assert.Contains("is not running", conflict.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Pause_and_unpause()
    {
        var id = await fixture.CreateContainerAsync(Chatty);
        await Containers.StartContainerAsync(id);

        await Containers.PauseContainerAsync(id);
        var paused = await Containers.InspectContainerAsync(id);
        Assert.True(paused.State.Paused);
        Assert.Equal("paused", paused.State.Status);

        await Containers.UnpauseContainerAsync(id);
        var unpaused = await Containers.InspectContainerAsync(id);
        Assert.False(unpaused.State.Paused);
        Assert.Equal("running", unpaused.State.Status);

        await Containers.KillContainerAsync(id);
    }

    [Fact]
    public async Task Remove_forces_a_running_container_away()
    {
        var id = await fixture.CreateContainerAsync(Chatty);
        await Containers.StartContainerAsync(id);

        var conflict = await Assert.ThrowsAsync<DockerApiException>(() => Containers.RemoveContainerAsync(id));
        Assert.Equal(HttpStatusCode.Conflict, conflict.StatusCode);

        await Containers.RemoveContainerAsync(id, new ContainerRemoveParameters { Force = true, RemoveVolumes = true });

        await Assert.ThrowsAsync<DockerContainerNotFoundException>(() => Containers.InspectContainerAsync(id));
    }

    [Fact]
    public async Task Inspect_of_a_missing_container_throws_DockerContainerNotFoundException()
    {
        var name = DockerFixture.NewName("missing");

        var exception = await Assert.ThrowsAsync<DockerContainerNotFoundException>(() => Containers.InspectContainerAsync(name));

        Assert.Equal(HttpStatusCode.NotFound, exception.StatusCode);
        Assert.Contains($"No such container: {name}", exception.Message, StringComparison.Ordinal);
        Assert.Contains("\"message\"", exception.ResponseBody, StringComparison.Ordinal);
        await Assert.ThrowsAsync<DockerContainerNotFoundException>(() => Containers.StartContainerAsync(name));
        await Assert.ThrowsAsync<DockerContainerNotFoundException>(() => Containers.WaitContainerAsync(name));
    }

    [Fact]
    public async Task Create_with_a_missing_image_throws_DockerImageNotFoundException()
    {
        var exception = await Assert.ThrowsAsync<DockerImageNotFoundException>(() => Containers.CreateContainerAsync(new CreateContainerParameters
        {
            Name = DockerFixture.NewName("noimage"),
            Image = "epsilon-test/missing:never",
            Labels = fixture.NewLabels(),
        }));

        Assert.Contains("No such image", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Create_with_a_taken_name_is_a_conflict()
    {
        var name = DockerFixture.NewName("taken");
        await fixture.CreateContainerAsync("true", parameters => parameters.Name = name);

        var exception = await Assert.ThrowsAsync<DockerApiException>(() => fixture.CreateContainerAsync("true", parameters => parameters.Name = name));

        Assert.Equal(HttpStatusCode.Conflict, exception.StatusCode);
    }

    [Fact]
    public async Task Start_on_a_missing_network_throws_DockerNetworkNotFoundException()
    {
        var network = DockerFixture.NewName("nonet");
        var id = await fixture.CreateContainerAsync("true", parameters => parameters.HostConfig = new HostConfig { NetworkMode = network });

        var exception = await Assert.ThrowsAsync<DockerNetworkNotFoundException>(() => Containers.StartContainerAsync(id));

        Assert.Contains(network, exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Limits_and_security_settings_reach_the_daemon()
    {
        var id = await fixture.CreateContainerAsync("cat /proc/self/status | grep -E '^(CapEff|NoNewPrivs)'; touch /x 2>/dev/null || echo readonly; touch /tmp/x && echo tmpfs", parameters =>
        {
            parameters.User = "65534:65534";
            parameters.WorkingDir = "/tmp";
            parameters.Env = ["EPSILON_TEST=1"];
            parameters.HostConfig = new HostConfig
            {
                Memory = 64 * 1024 * 1024,
                MemorySwap = 64 * 1024 * 1024,
                NanoCpus = 500_000_000,
                PidsLimit = 64,
                CapDrop = ["ALL"],
                SecurityOpt = ["no-new-privileges"],
                ReadonlyRootfs = true,
                Tmpfs = new Dictionary<string, string> { ["/tmp"] = "rw,size=16m,mode=1777" },
                NetworkMode = "none",
            };
        });
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await Containers.StartContainerAsync(id, timeout.Token);
        Assert.Equal(0, (await Containers.WaitContainerAsync(id, timeout.Token)).StatusCode);

        var output = (await ToListAsync(Containers.GetContainerLogsAsync(id, new ContainerLogsParameters(), timeout.Token))).Select(line => line.Text).ToList();
        Assert.Contains("CapEff:\t0000000000000000", output);
        Assert.Contains("NoNewPrivs:\t1", output);
        Assert.Contains("readonly", output);
        Assert.Contains("tmpfs", output);

        var inspect = await Containers.InspectContainerAsync(id, timeout.Token);
        Assert.Equal("65534:65534", inspect.Config.User);
        Assert.Contains("EPSILON_TEST=1", inspect.Config.Env!);
    }

    private static async Task<List<T>> ToListAsync<T>(IAsyncEnumerable<T> source)
    {
        var list = new List<T>();
        await foreach (var item in source)
        {
            list.Add(item);
        }

        return list;
    }
}
