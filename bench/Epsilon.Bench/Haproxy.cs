using System.Diagnostics;
using System.Globalization;

namespace Epsilon.Bench;

/// <summary>HAProxy in front of gateways, configured by the project's own infra/haproxy/render.sh, in the foreground.</summary>
internal sealed class Haproxy : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _config;

    private Haproxy(Process process, string config)
    {
        _process = process;
        _config = config;
    }

    /// <summary>Starts it on <paramref name="port"/> with <paramref name="mode"/> (roundrobin or hash) over <paramref name="gatewayPorts"/>.</summary>
    public static async Task<Haproxy> StartAsync(string sourceRoot, string mode, int port, IEnumerable<int> gatewayPorts, string directory)
    {
        var text = Processes.Run(Path.Combine(sourceRoot, "infra/haproxy/render.sh"), directory,
            [mode, $"127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}", .. gatewayPorts.Select(p => $"127.0.0.1:{p.ToString(CultureInfo.InvariantCulture)}")]);
        var config = Path.Combine(directory, $"haproxy-{Guid.NewGuid():N}.cfg");
        await File.WriteAllTextAsync(config, text);
        var start = new ProcessStartInfo("haproxy") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { "-db", "-f", config })
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return new Haproxy(process, config);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        File.Delete(_config);
    }
}
