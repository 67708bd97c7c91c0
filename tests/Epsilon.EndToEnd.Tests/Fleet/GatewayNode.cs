using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Epsilon.EndToEnd.Tests.Infrastructure;

namespace Epsilon.EndToEnd.Tests.Fleet;

/// <summary>One gateway of the test fleet as its own process, on its own port, started, stopped and killed like a VM's.</summary>
public sealed class GatewayNode : IAsyncDisposable
{
    private readonly string[] _arguments;
    private readonly StringBuilder _output = new();
    private Process? _process;

    /// <param name="id">The gateway's id in the fleet.</param>
    /// <param name="arguments">Its configuration, as command-line arguments.</param>
    /// <param name="dll">The gateway to run: by default this tree's build; the upgrade test passes the previous release's.</param>
    public GatewayNode(string id, IEnumerable<string> arguments, string? dll = null)
    {
        Id = id;
        Dll = dll ?? Path.Combine(TestRepository.SourceRoot, "gateway/Epsilon.Gateway/bin/Release/net10.0/Epsilon.Gateway.dll");
        Port = FreePort();
        Url = $"http://127.0.0.1:{Port.ToString(CultureInfo.InvariantCulture)}";
        _arguments = [$"--urls={Url}", $"--Epsilon:Gateway:Id={id}", .. arguments];
        Http = new HttpClient { BaseAddress = new Uri(Url), Timeout = TimeSpan.FromSeconds(60) };
    }

    public string Id { get; }

    /// <summary>The Epsilon.Gateway.dll this node runs.</summary>
    public string Dll { get; }

    public int Port { get; }

    public string Url { get; }

    /// <summary>Straight to this gateway, not through the balancer.</summary>
    public HttpClient Http { get; }

    /// <summary>What the process wrote, for a failing test's message.</summary>
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

    public bool Running => _process is { HasExited: false };

    public int? ExitCode => _process is { HasExited: true } process ? process.ExitCode : null;

    /// <summary>Starts the process and waits until its health endpoint answers.</summary>
    public async Task StartAsync()
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Dll);
        foreach (var argument in _arguments)
        {
            start.ArgumentList.Add(argument);
        }

        _process = Process.Start(start)!;
        DataReceivedEventHandler collect = (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (_output)
                {
                    _output.AppendLine(e.Data);
                }
            }
        };
        _process.OutputDataReceived += collect;
        _process.ErrorDataReceived += collect;
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (true)
        {
            if (_process.HasExited)
            {
                Assert.Fail($"gateway {Id} exited with {_process.ExitCode} while starting:\n{Output}");
            }

            try
            {
                using var response = await Http.GetAsync("/_epsilon/health", deadline.Token);
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }

            await Task.Delay(100, deadline.Token);
        }
    }

    /// <summary>SIGTERM, as a service manager or the autoscaling group stops it: it drains and exits.</summary>
    public async Task<int> StopAsync(TimeSpan timeout)
    {
        Signal("TERM");
        using var wait = new CancellationTokenSource(timeout);
        await _process!.WaitForExitAsync(wait.Token);
        return _process.ExitCode;
    }

    /// <summary>SIGKILL: the VM is gone, nothing runs its shutdown.</summary>
    public async Task KillAsync()
    {
        Signal("KILL");
        await _process!.WaitForExitAsync();
    }

    private void Signal(string signal)
    {
        using var kill = Process.Start("kill", [$"-{signal}", _process!.Id.ToString(CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
    }

    public async ValueTask DisposeAsync()
    {
        if (_process is { HasExited: false })
        {
            try
            {
                await StopAsync(TimeSpan.FromSeconds(60));
            }
            catch (OperationCanceledException)
            {
                _process.Kill();
            }
        }

        _process?.Dispose();
        Http.Dispose();
    }

    internal static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
