using System.Diagnostics;
using System.Globalization;
using Epsilon.Core.Docker;

namespace Epsilon.EndToEnd.Tests.Faults;

/// <summary>
/// The machine's Docker engine as scripts/setup.sh runs it: a plain dockerd process (no systemd here), found by the pid
/// file it writes, stopped with SIGTERM as a service manager would, and started again with setup.sh's command and log.
/// Its images and networks live in /var/lib/docker and outlast the restart; its containers are stopped by it.
/// </summary>
internal static class DockerDaemon
{
    private const string PidFile = "/var/run/docker.pid";
    private static readonly TimeSpan s_stopTimeout = TimeSpan.FromMinutes(2);
    private static readonly TimeSpan s_startTimeout = TimeSpan.FromSeconds(60);

    private static string StateDirectory =>
        Environment.GetEnvironmentVariable("EPSILON_STATE_DIR") is { Length: > 0 } state ? state : "/var/lib/epsilon";

    /// <summary>Stops dockerd and waits until its process has ended.</summary>
    public static async Task StopAsync()
    {
        var pid = RunningPid() ?? throw new InvalidOperationException($"no dockerd runs (by {PidFile})");
        using (var kill = Process.Start("kill", ["-TERM", pid.ToString(CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync();
        }

        await WaitForEndAsync(pid);
    }

    /// <summary>Starts dockerd unless it answers already (as setup.sh does), and waits until it answers.</summary>
    public static async Task EnsureRunningAsync()
    {
        if (await AnswersAsync())
        {
            return;
        }

        // A daemon still shutting down holds its pid file and socket: a second one would refuse to start.
        if (RunningPid() is { } stopping)
        {
            await WaitForEndAsync(stopping);
        }

        var start = new ProcessStartInfo("setsid");
        // setup.sh's command line and log (appended to, so the stopped daemon's log stays for a failure's diagnosis),
        // detached from the test host so that the host's end does not end it.
        start.ArgumentList.Add("bash");
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add($"nohup dockerd >>'{Path.Combine(StateDirectory, "dockerd.log")}' 2>&1 </dev/null &");
        using (var shell = Process.Start(start)!)
        {
            await shell.WaitForExitAsync();
        }

        var deadline = DateTime.UtcNow + s_startTimeout;
        while (!await AnswersAsync())
        {
            Assert.True(DateTime.UtcNow < deadline, $"dockerd did not come up within {s_startTimeout.TotalSeconds} s; see {StateDirectory}/dockerd.log");
            await Task.Delay(500);
        }
    }

    /// <summary>Whether the daemon answers a ping on its socket now.</summary>
    public static async Task<bool> AnswersAsync()
    {
        using var docker = DockerClientFactory.Create();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        try
        {
            await docker.System.PingAsync(timeout.Token);
            return true;
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException or OperationCanceledException or Docker.DotNet.DockerApiException)
        {
            return false;
        }
    }

    /// <summary>The pid in dockerd's pid file when that process is a dockerd that has not ended.</summary>
    private static int? RunningPid()
    {
        if (!File.Exists(PidFile)
            || !int.TryParse(File.ReadAllText(PidFile).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
        {
            return null;
        }

        return Alive(pid) && File.ReadAllText($"/proc/{pid}/comm").Trim() == "dockerd" ? pid : null;
    }

    /// <summary>Whether the process runs: a zombie has ended (nothing reaps orphans on this machine's init).</summary>
    private static bool Alive(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[(stat.LastIndexOf(')') + 2)..].FirstOrDefault() != 'Z';
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException or IOException)
        {
            return false;
        }
    }

    private static async Task WaitForEndAsync(int pid)
    {
        var deadline = DateTime.UtcNow + s_stopTimeout;
        while (Alive(pid))
        {
            Assert.True(DateTime.UtcNow < deadline, $"dockerd ({pid}) did not stop within {s_stopTimeout.TotalMinutes} min");
            await Task.Delay(250);
        }
    }
}
