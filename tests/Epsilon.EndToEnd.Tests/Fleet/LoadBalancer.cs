using System.Diagnostics;
using System.Globalization;
using System.Text;
using Epsilon.EndToEnd.Tests.Infrastructure;

namespace Epsilon.EndToEnd.Tests.Fleet;

/// <summary>HAProxy in front of the test fleet, configured by the project's own infra/haproxy/render.sh.</summary>
public sealed class LoadBalancer : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _config;
    private readonly StringBuilder _output = new();

    private LoadBalancer(Process process, string config, string url)
    {
        _process = process;
        _config = config;
        Url = url;
        Http = new HttpClient { BaseAddress = new Uri(url), Timeout = TimeSpan.FromSeconds(60) };
    }

    public string Url { get; }

    public HttpClient Http { get; }

    /// <summary>Renders the configuration for <paramref name="mode"/> (roundrobin or hash) and starts HAProxy in the foreground.</summary>
    public static async Task<LoadBalancer> StartAsync(string mode, IEnumerable<GatewayNode> gateways)
    {
        var port = GatewayNode.FreePort().ToString(CultureInfo.InvariantCulture);
        var render = new ProcessStartInfo(Path.Combine(TestRepository.SourceRoot, "infra/haproxy/render.sh")) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { mode, $"127.0.0.1:{port}" }.Concat(gateways.Select(g => $"127.0.0.1:{g.Port.ToString(CultureInfo.InvariantCulture)}")))
        {
            render.ArgumentList.Add(argument);
        }

        using var renderer = Process.Start(render)!;
        var text = await renderer.StandardOutput.ReadToEndAsync();
        await renderer.WaitForExitAsync();
        Assert.True(renderer.ExitCode == 0, await renderer.StandardError.ReadToEndAsync());
        var config = Path.Combine(Path.GetTempPath(), $"epsilon-haproxy-{Guid.NewGuid():N}.cfg");
        await File.WriteAllTextAsync(config, text);

        var start = new ProcessStartInfo("haproxy") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { "-db", "-f", config })
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start)!;
        var balancer = new LoadBalancer(process, config, $"http://127.0.0.1:{port}");
        process.OutputDataReceived += balancer.Collect;
        process.ErrorDataReceived += balancer.Collect;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return balancer;
    }

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>
    /// Until HAProxy has logged that the <paramref name="index"/>th gateway it was given (from 1) went
    /// <paramref name="state"/> (<c>UP</c> or <c>DOWN</c>) at least <paramref name="times"/> times: its health checks decide.
    /// </summary>
    public async Task WaitForServerAsync(int index, string state, int times = 1, TimeSpan? timeout = null)
    {
        var line = $"Server gateways/gateway{index.ToString(CultureInfo.InvariantCulture)} is {state}";
        var watch = Stopwatch.StartNew();
        while (Output.Split('\n').Count(l => l.Contains(line, StringComparison.Ordinal)) < times)
        {
            Assert.True(watch.Elapsed < (timeout ?? TimeSpan.FromSeconds(30)), $"HAProxy never logged '{line}':\n{Output}");
            await Task.Delay(50);
        }
    }

    private void Collect(object sender, DataReceivedEventArgs e)
    {
        if (e.Data is not null)
        {
            lock (_output)
            {
                _output.AppendLine(e.Data);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        Http.Dispose();
        File.Delete(_config);
    }
}
