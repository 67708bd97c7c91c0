using System.Net.Http.Json;
using System.Text.Json;
using Epsilon.EndToEnd.Tests.Infrastructure;
using Epsilon.Tests.Shared;

namespace Epsilon.EndToEnd.Tests;

/// <summary>
/// The egress policy scripts/egress.sh installs (set-up ran it), against stand-ins this test makes in network namespaces
/// of its own: a private-range host, 169.254.169.254 on an interface of its own, and a TEST-NET address playing the internet,
/// each routed through its namespace; plus this host's own addresses. A function, and the build that ran its code,
/// try each. No packet may leave the machine: every route is checked with <c>ip route get</c> before anything is sent.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class EgressTests(PlatformFixture platform) : IAsyncLifetime
{
    private const string PrivateHost = "10.213.7.2";
    private const string Metadata = "169.254.169.254";
    private const string Internet = "203.0.113.80";
    private const int Port = 80;

    private static readonly string[] s_standIns = [PrivateHost, Metadata, Internet];

    // Tries each target: a TCP connection, "connected" or the error's code. At load (the builder's check runs the module)
    // it prints the same for the build's log; at run time (PROBE_AT_RUN, the manifest's env) it skips that.
    private const string Probe = """
        const net = require('node:net');
        const { execSync } = require('node:child_process');
        function tryConnect(host, port) {
          return new Promise((resolve) => {
            const socket = net.connect({ host, port, timeout: 3000 });
            socket.once('connect', () => { socket.destroy(); resolve('connected'); });
            socket.once('timeout', () => { socket.destroy(); resolve('timeout'); });
            socket.once('error', (e) => resolve(e.code || 'error'));
          });
        }
        if (!process.env.PROBE_AT_RUN) {
          for (const target of (process.env.BUILD_TARGETS || '__TARGETS__').split(',')) {
            const [host, port] = target.split(':');
            let result;
            try { execSync(`bash -c 'echo > /dev/tcp/${host}/${port}'`, { timeout: 4000, stdio: 'ignore' }); result = 'connected'; }
            catch { result = 'blocked'; }
            console.log(`BUILD-EGRESS ${target} ${result}`);
          }
        }
        module.exports.probe = {
          definition: async (req, res) => {
            const results = {};
            for (const target of String(req.query.targets).split(',')) {
              const [host, port] = target.split(':');
              results[target] = await tryConnect(host, Number(port));
            }
            const dns = await require('node:dns').promises.lookup('deb.debian.org').then(() => 'resolved', (e) => e.code);
            res.json({ results, dns });
          },
        };
        """;

    private readonly string _suffix = Guid.NewGuid().ToString("N")[..5];
    private string? _hostListener;

    private string Namespace(int i) => $"egress-{_suffix}-{i}";

    private string Veth(int i) => $"eg{_suffix}{i}";

    public Task InitializeAsync()
    {
        // Three namespaces, each on a veth pair 10.213.{7,8,9}.0/30; the metadata address and the "internet" sit on the
        // loopback interface inside theirs (a dummy interface needs a module this kernel lacks), reached through a host
        // route to the namespace's end of the pair.
        var script = new System.Text.StringBuilder("set -eu\n");
        for (var i = 0; i < s_standIns.Length; i++)
        {
            var (ns, veth, net) = (Namespace(i), Veth(i), $"10.213.{7 + i}");
            script.AppendLine($"""
                ip netns add {ns}
                ip link add {veth} type veth peer name {veth}p
                ip link set {veth}p netns {ns}
                ip addr add {net}.1/30 dev {veth}
                ip link set {veth} up
                ip netns exec {ns} ip addr add {net}.2/30 dev {veth}p
                ip netns exec {ns} ip link set {veth}p up
                ip netns exec {ns} ip link set lo up
                ip netns exec {ns} ip route add default via {net}.1
                """);
            if (s_standIns[i] != $"{net}.2")
            {
                script.AppendLine($"""
                    ip netns exec {ns} ip addr add {s_standIns[i]}/32 dev lo
                    ip route add {s_standIns[i]}/32 via {net}.2 dev {veth}
                    """);
            }

            script.AppendLine($"ip netns exec {ns} setsid python3 -m http.server {Port} --bind {s_standIns[i]} >/dev/null 2>&1 < /dev/null &");
        }

        BashScript.Run(script.ToString(), "making the egress stand-ins");
        // Before anything is sent: each stand-in is reached through its namespace, never through a real interface.
        for (var i = 0; i < s_standIns.Length; i++)
        {
            var route = BashScript.Run($"ip route get {s_standIns[i]}", "ip route get");
            if (!route.Contains($"dev {Veth(i)} ", StringComparison.Ordinal))
            {
                throw new InvalidOperationException($"aborting: {s_standIns[i]} would leave through '{route.Trim()}', not the test's namespace");
            }
        }

        // This host's own service, on every address.
        _hostListener = BashScript.Run("setsid python3 -m http.server 0 --bind 0.0.0.0 > /tmp/egress-host-$$.log 2>&1 < /dev/null & echo $!", "host listener").Trim();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task FunctionsAndBuilds_ReachTheInternet_ButNotThisHost_TheMetadataAddress_OrPrivateRanges()
    {
        var hostPort = await HostListenerPortAsync();
        var hostAddress = BashScript.Run("ip -4 -o route get 203.0.113.1 | sed -n 's/.* src \\([0-9.]*\\).*/\\1/p'", "host address").Trim();
        var targets = new[] { $"{PrivateHost}:{Port}", $"{Metadata}:{Port}", $"{Internet}:{Port}", $"{hostAddress}:{hostPort}" };
        await WaitUntilServingAsync();
        using var repository = TestRepository.Create(new Dictionary<string, string>
        {
            ["epsilon.yaml"] = """
                runtime: node
                functions:
                  egress-probe:
                    handler: probe.js:probe
                    env:
                      PROBE_AT_RUN: "yes"
                """,
            ["probe.js"] = Probe.Replace("__TARGETS__", string.Join(',', targets), StringComparison.Ordinal),
        });

        var deployment = await platform.DeployOkAsync(repository.Path);
        var build = string.Join('\n', await platform.DeploymentLogAsync(deployment));
        var bridge = await FunctionBridgeAddressAsync();
        var answer = await platform.Gateway.GetFromJsonAsync<JsonElement>(
            $"/egress-probe/?targets={string.Join(',', targets)},{bridge}:{hostPort}");

        var results = answer.GetProperty("results");
        Assert.Equal("connected", results.GetProperty($"{Internet}:{Port}").GetString());
        foreach (var blocked in new[] { $"{PrivateHost}:{Port}", $"{Metadata}:{Port}", $"{hostAddress}:{hostPort}", $"{bridge}:{hostPort}" })
        {
            Assert.True(results.GetProperty(blocked).GetString() is "ECONNREFUSED" or "EHOSTUNREACH" or "timeout", $"{blocked}: {results}");
        }

        Assert.Equal("resolved", answer.GetProperty("dns").GetString());
        Assert.Contains($"BUILD-EGRESS {Internet}:{Port} connected", build);
        foreach (var blocked in new[] { $"{PrivateHost}:{Port}", $"{Metadata}:{Port}", $"{hostAddress}:{hostPort}" })
        {
            Assert.Contains($"BUILD-EGRESS {blocked} blocked", build);
        }

        // Configured exceptions open a private destination, and only it.
        try
        {
            BashScript.Run($"EPSILON_EGRESS_ALLOW={PrivateHost}/32 {TestRepository.SourceRoot}/scripts/egress.sh up", "egress.sh up with an exception");
            var opened = await platform.Gateway.GetFromJsonAsync<JsonElement>($"/egress-probe/?targets={PrivateHost}:{Port},{Metadata}:{Port}");
            Assert.Equal("connected", opened.GetProperty("results").GetProperty($"{PrivateHost}:{Port}").GetString());
            Assert.NotEqual("connected", opened.GetProperty("results").GetProperty($"{Metadata}:{Port}").GetString());
        }
        finally
        {
            BashScript.Run($"{TestRepository.SourceRoot}/scripts/egress.sh up", "egress.sh up");
        }
    }

    /// <summary>The function network's address on this host (its bridge's), which containers reach the host by.</summary>
    private async Task<string> FunctionBridgeAddressAsync()
    {
        var network = await platform.Docker.Networks.InspectNetworkAsync("epsilon");
        Assert.True(Epsilon.Core.Docker.EgressBridge.IsHeld(network.Options), "the function network's bridge is named for the egress policy");
        return network.IPAM?.Config?.FirstOrDefault()?.Gateway ?? throw new InvalidOperationException("the function network has no gateway address");
    }

    private async Task<int> HostListenerPortAsync()
    {
        for (var i = 0; i < 100; i++)
        {
            var line = BashScript.Run($"ss -ltnpH | grep 'pid={_hostListener},' || true", "ss");
            if (line.Length > 0)
            {
                return int.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[3].Split(':')[^1], System.Globalization.CultureInfo.InvariantCulture);
            }

            await Task.Delay(100);
        }

        throw new InvalidOperationException("the host listener did not start");
    }

    /// <summary>Waits until each stand-in's server listens in its namespace.</summary>
    private async Task WaitUntilServingAsync()
    {
        for (var i = 0; i < s_standIns.Length; i++)
        {
            for (var attempt = 0; BashScript.Run($"ip netns exec {Namespace(i)} ss -ltnH 'sport = :{Port}'", "ss").Length == 0; attempt++)
            {
                Assert.True(attempt < 100, $"the stand-in {s_standIns[i]} did not start listening");
                await Task.Delay(100);
            }
        }
    }

    public Task DisposeAsync()
    {
        var script = new System.Text.StringBuilder();
        if (_hostListener is { Length: > 0 })
        {
            script.AppendLine($"kill {_hostListener} 2>/dev/null || true");
        }

        for (var i = 0; i < s_standIns.Length; i++)
        {
            script.AppendLine($"ip netns pids {Namespace(i)} 2>/dev/null | xargs -r kill 2>/dev/null || true");
            script.AppendLine($"ip route del {s_standIns[i]}/32 2>/dev/null || true");
            script.AppendLine($"ip link del {Veth(i)} 2>/dev/null || true");
            script.AppendLine($"ip netns del {Namespace(i)} 2>/dev/null || true");
        }

        BashScript.Run(script.ToString(), "removing the egress stand-ins");
        return Task.CompletedTask;
    }
}
