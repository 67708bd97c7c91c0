using Epsilon.Core.Contracts;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Docker.DotNet.Models;
using Epsilon.EndToEnd.Tests.Infrastructure;

namespace Epsilon.EndToEnd.Tests;

/// <summary>
/// The gateway as production runs it: its own process (Program), where the forwarding path runs on the socket threads
/// (inline socket completions, which the in-process fixture does not use). Anything that blocked on that path would
/// stall every call sharing its socket thread, so this drives many calls at once and a store read through it.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class GatewayProcessTests(PlatformFixture platform)
{
    [Fact]
    public async Task OwnProcess_AnswersConcurrentCalls_FindsAFunctionDeployedAfterItStarted_AndRemovesItsContainersOnStop()
    {
        var id = "e2e-proc-" + Guid.NewGuid().ToString("N")[..6];
        var url = $"http://127.0.0.1:{FreePort().ToString(CultureInfo.InvariantCulture)}";
        var output = new StringBuilder();
        using var process = StartGateway(id, url, output);
        try
        {
            using var http = new HttpClient { BaseAddress = new Uri(url), Timeout = TimeSpan.FromSeconds(60) };
            await WaitForHealthAsync(http, process, output);

            // Deployed after the gateway loaded its table: the first call misses and reads the store.
            using var repository = TestRepository.Create(new Dictionary<string, string>
            {
                ["epsilon.yaml"] = "runtime: node\nfunctions:\n  proc-hello:\n    handler: index.js:hello\n    concurrency: 256\n    maxContainers: 1\n",
                ["index.js"] = Functions.Text("hello", "hi"),
            });
            await platform.DeployOkAsync(repository.Path);

            // Two gateways share this store, a fleet of two: the home mark keeps every call on this one.
            http.DefaultRequestHeaders.Add(Epsilon.Core.Contracts.FleetHeaders.Home, "1");
            var answers = await Task.WhenAll(Enumerable.Range(0, 200).Select(async _ =>
            {
                using var response = await http.GetAsync("/proc-hello/");
                return ((int)response.StatusCode, await response.Content.ReadAsStringAsync());
            }));

            Assert.All(answers, a => Assert.Equal((200, "hi"), a));
            Assert.Single(await platform.ContainersAsync(id, "proc-hello"));

            // SIGTERM, as a service manager stops it: a graceful stop that removes what it started.
            using (var kill = Process.Start("kill", ["-TERM", process.Id.ToString(CultureInfo.InvariantCulture)]))
            {
                await kill.WaitForExitAsync();
            }

            using var stopped = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            await process.WaitForExitAsync(stopped.Token);
            Assert.True(process.ExitCode == 0, $"the gateway exited with {process.ExitCode}:\n{output}");
            Assert.Empty(await platform.ContainersAsync(id));
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill();
            }

            foreach (var container in await platform.ContainersAsync(id))
            {
                await platform.Docker.Containers.RemoveContainerAsync(container.ID, new ContainerRemoveParameters { Force = true });
            }
        }
    }

    private Process StartGateway(string id, string url, StringBuilder output)
    {
        var dll = Path.Combine(TestRepository.SourceRoot, "gateway/Epsilon.Gateway/bin/Release/net10.0/Epsilon.Gateway.dll");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(dll);
        foreach (var argument in platform.GatewayArguments(id, removeOnStop: true))
        {
            start.ArgumentList.Add(argument.StartsWith("--urls=", StringComparison.Ordinal) ? $"--urls={url}" : argument);
        }

        var process = Process.Start(start)!;
        DataReceivedEventHandler collect = (_, e) =>
        {
            lock (output)
            {
                output.AppendLine(e.Data);
            }
        };
        process.OutputDataReceived += collect;
        process.ErrorDataReceived += collect;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static async Task WaitForHealthAsync(HttpClient http, Process process, StringBuilder output)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < deadline && !process.HasExited)
        {
            try
            {
                if ((await http.GetAsync("/_epsilon/health")).StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }

            await Task.Delay(100);
        }

        Assert.Fail($"the gateway process did not come up:\n{output}");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
