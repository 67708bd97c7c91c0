using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Epsilon.Bench;

/// <summary>
/// The gateway as its own process, as it runs in production, so its memory is its own and the warm path does not share
/// a process with the builder or the benchmark.
/// </summary>
internal sealed class GatewayProcess : IAsyncDisposable
{
    private readonly Process _process;
    private bool _disposed;

    private GatewayProcess(Process process, string id, int port, string url)
    {
        _process = process;
        Id = id;
        Port = port;
        Url = url;
    }

    public string Id { get; }

    public int Port { get; }

    public string Url { get; }

    /// <summary>Starts the gateway of this checkout, or of the built checkout at <paramref name="sourceRoot"/>, on the SQLite store <paramref name="store"/>.</summary>
    public static Task<GatewayProcess> StartAsync(string store, string id, string directory, string? sourceRoot = null) =>
        StartAsync(id, directory,
            [$"--Epsilon:Store:Path={store}", "--Epsilon:Gateway:ReapInterval=00:00:01", "--Epsilon:Gateway:PauseIdleAfter=00:00:01",
                "--Logging:LogLevel:Epsilon=Information"], sourceRoot);

    /// <summary>Starts a gateway with the given settings (its store among them) on a port of its own.</summary>
    public static async Task<GatewayProcess> StartAsync(string id, string directory, IEnumerable<string> settings, string? sourceRoot = null)
    {
        var dll = Path.Combine(sourceRoot ?? SourceRoot(), "gateway/Epsilon.Gateway/bin/Release/net10.0/Epsilon.Gateway.dll");
        var port = FreePort();
        var url = $"http://127.0.0.1:{port}";
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[]
                 {
                     dll, $"--urls={url}", $"--Epsilon:Gateway:Id={id}", "--Logging:LogLevel:Default=Warning", "--Logging:LogLevel:Epsilon=Warning",
                 }.Concat(settings))
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start)!;
        // The gateway's console log (warnings and errors at this level) goes to our standard error.
        DataReceivedEventHandler forward = (_, e) =>
        {
            if (e.Data is not null)
            {
                Console.Error.WriteLine("[gateway] " + e.Data);
            }
        };
        process.OutputDataReceived += forward;
        process.ErrorDataReceived += forward;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var http = new HttpClient();
        for (var i = 0; i < 200; i++)
        {
            try
            {
                await http.GetStringAsync(url + "/_epsilon/health");
                return new GatewayProcess(process, id, port, url);
            }
            catch (HttpRequestException)
            {
                await Task.Delay(100);
            }
        }

        process.Kill();
        throw new InvalidOperationException("the gateway did not start");
    }

    /// <summary>Resident memory of the gateway process (VmRSS).</summary>
    public long ResidentBytes()
    {
        var line = File.ReadLines($"/proc/{_process.Id}/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture) * 1024;
    }

    /// <summary>CPU time the process has used so far, user and system (utime and stime of /proc/PID/stat).</summary>
    public TimeSpan CpuTime()
    {
        var stat = File.ReadAllText($"/proc/{_process.Id}/stat");
        // The fields after the command name, which is in parentheses and may hold spaces: utime and stime are 14th and 15th.
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        var ticks = long.Parse(fields[11], System.Globalization.CultureInfo.InvariantCulture) + long.Parse(fields[12], System.Globalization.CultureInfo.InvariantCulture);
        return TimeSpan.FromSeconds(ticks / (double)ClockTicksPerSecond);
    }

    /// <summary>USER_HZ, the unit of /proc's CPU times: 100 on every Linux this runs on.</summary>
    private const int ClockTicksPerSecond = 100;

    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        if (!_process.HasExited)
        {
            // SIGTERM: the gateway stops gracefully and removes its containers.
            Processes.Run("kill", "/", "-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            await _process.WaitForExitAsync(timeout.Token);
        }

        _process.Dispose();
    }

    /// <summary>A loopback port free now.</summary>
    internal static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>The checkout this bench was built from.</summary>
    public static string SourceRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Epsilon.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("Epsilon.sln not found");
    }
}
