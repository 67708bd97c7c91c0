using System.Diagnostics;
using System.Net;
using Docker.DotNet;
using Docker.DotNet.Models;
using Epsilon.Core.Docker;
using Epsilon.EndToEnd.Tests.Infrastructure;
using Epsilon.Tests.Shared;

namespace Epsilon.EndToEnd.Tests.Registry;

/// <summary>
/// A registry as a fleet has one: Distribution serving HTTPS only with htpasswd basic auth, from the shipped
/// infra/systemd/epsilon-registry.yml with the paths moved by environment variables. It listens in a network namespace of
/// its own, on an address outside 127.0.0.0/8, because the engine skips certificate checks for loopback registries; the
/// engine trusts it through /etc/docker/certs.d/&lt;address&gt;/ca.crt as a gateway's engine on another VM would.
/// Everything it makes (namespace, link, process, CA file, images) is removed at the end, and leftovers of an aborted
/// run at the start.
/// </summary>
public sealed class TlsRegistry : IAsyncLifetime
{
    public const string Username = "epsilon";
    public const string Password = "tls-registry-Pa55word";
    private const string Namespace = "epsilon-regtls";
    private const string HostLink = "eps-regtls0";
    private const string RegistryIp = "198.18.77.2";
    private const string CertsRoot = "/etc/docker/certs.d";

    private readonly string _files = Directory.CreateTempSubdirectory("epsilon-regtls-").FullName;
    private readonly TestCertificateAuthority _ca = new("Epsilon registry test CA");
    private Process? _registry;
    private bool _createdCertsRoot;

    /// <summary>host:port, as Epsilon:Registry:Address and the engine's certs.d folder name it.</summary>
    public string Address { get; } = $"{RegistryIp}:5443";

    public string CaPath => Path.Combine(_files, "ca.pem");

    public string OtherCaPath => Path.Combine(_files, "other-ca.pem");

    /// <summary>A file with the password and a line break, as an operator writes it with echo.</summary>
    public string PasswordFile => Path.Combine(_files, "registry-password");

    public IDockerClient Docker { get; } = DockerClientFactory.Create();

    public string EngineCaPath => Path.Combine(CertsRoot, Address, "ca.crt");

    public async Task InitializeAsync()
    {
        RemoveNetwork();
        _ca.WriteCa(CaPath);
        _ca.WriteServerCertificate(_files, "registry", IPAddress.Parse(RegistryIp));
        using (var other = new TestCertificateAuthority("Some other CA"))
        {
            other.WriteCa(OtherCaPath);
        }

        await File.WriteAllTextAsync(PasswordFile, Password + "\n");
        Run($$"""
            set -euo pipefail
            # As install.sh makes it: bcrypt, the password from the same file the services read.
            htpasswd -iBc '{{_files}}/htpasswd' '{{Username}}' <'{{PasswordFile}}' 2>/dev/null
            ip netns add {{Namespace}}
            ip link add {{HostLink}} type veth peer name eps-regtls1
            ip link set eps-regtls1 netns {{Namespace}}
            ip addr add 198.18.77.1/30 dev {{HostLink}}
            ip link set {{HostLink}} up
            ip netns exec {{Namespace}} ip addr add {{RegistryIp}}/30 dev eps-regtls1
            ip netns exec {{Namespace}} ip link set eps-regtls1 up
            """);

        _createdCertsRoot = !Directory.Exists(CertsRoot);
        TrustInEngine(CaPath);

        // ip netns exec execs the registry, so the process started is the registry itself.
        var start = new ProcessStartInfo("ip") { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var argument in new[] { "netns", "exec", Namespace, "docker-registry", "serve", Path.Combine(TestRepository.SourceRoot, "infra/systemd/epsilon-registry.yml") })
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["REGISTRY_HTTP_ADDR"] = Address;
        start.Environment["REGISTRY_HTTP_TLS_CERTIFICATE"] = Path.Combine(_files, "registry.crt");
        start.Environment["REGISTRY_HTTP_TLS_KEY"] = Path.Combine(_files, "registry.key");
        start.Environment["REGISTRY_AUTH_HTPASSWD_PATH"] = Path.Combine(_files, "htpasswd");
        start.Environment["REGISTRY_STORAGE_FILESYSTEM_ROOTDIRECTORY"] = Path.Combine(_files, "storage");
        _registry = Process.Start(start)!;
        var output = new System.Text.StringBuilder();
        _registry.OutputDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        _registry.ErrorDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        _registry.BeginOutputReadLine();
        _registry.BeginErrorReadLine();

        using var client = new HttpClient(_ca.TrustingHandler()) { Timeout = TimeSpan.FromSeconds(2) };
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                using var response = await client.GetAsync($"https://{Address}/v2/");
                if (response.StatusCode == HttpStatusCode.Unauthorized)
                {
                    return;
                }
            }
            catch (HttpRequestException) when (attempt < 40 && !_registry.HasExited)
            {
            }

            if (attempt >= 40 || _registry.HasExited)
            {
                lock (output)
                {
                    throw new InvalidOperationException($"The TLS registry did not come up on {Address}:\n{output}");
                }
            }

            await Task.Delay(250);
        }
    }

    /// <summary>A client of the registry's API that trusts the test CA only, or the machine's roots only.</summary>
    public HttpClient Client(bool trustingTheTestCa) =>
        new(trustingTheTestCa ? _ca.TrustingHandler() : new SocketsHttpHandler { UseProxy = false }) { Timeout = TimeSpan.FromSeconds(10) };

    /// <summary>Makes the engine trust the registry's certificate by the CA at <paramref name="caPath"/> (and no other).</summary>
    public void TrustInEngine(string caPath)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(EngineCaPath)!);
        File.Copy(caPath, EngineCaPath, overwrite: true);
    }

    /// <summary>Removes this registry's images from the engine, so the next call pulls.</summary>
    public async Task RemoveLocalImagesAsync()
    {
        var images = await Docker.Images.ListImagesAsync(new ImagesListParameters { All = true });
        foreach (var tag in images.SelectMany(i => i.RepoTags ?? []).Where(t => t.StartsWith(Address + "/", StringComparison.Ordinal)))
        {
            await Docker.Images.DeleteImageAsync(tag, new ImageDeleteParameters { Force = true });
        }
    }

    public async Task<bool> HasLocalImageAsync(string image)
    {
        try
        {
            await Docker.Images.InspectImageAsync(image);
            return true;
        }
        catch (DockerImageNotFoundException)
        {
            return false;
        }
    }

    public async Task DisposeAsync()
    {
        if (_registry is { HasExited: false })
        {
            _registry.Kill();
            await _registry.WaitForExitAsync();
        }

        _registry?.Dispose();
        await RemoveLocalImagesAsync();
        Docker.Dispose();
        RemoveNetwork();
        if (_createdCertsRoot && !Directory.EnumerateFileSystemEntries(CertsRoot).Any())
        {
            Directory.Delete(CertsRoot);
        }

        Directory.Delete(_files, recursive: true);
        _ca.Dispose();
    }

    /// <summary>The namespace, its link and a registry left in it by an aborted run; a no-op when there are none.</summary>
    private static void RemoveNetwork() => Run($$"""
        if ip netns list | grep -qw {{Namespace}}; then
          ip netns pids {{Namespace}} | xargs -r kill -9
          ip netns del {{Namespace}}
        fi
        ip link show {{HostLink}} >/dev/null 2>&1 && ip link del {{HostLink}}
        rm -rf '{{CertsRoot}}/{{RegistryIp}}:5443'
        true
        """);

    private static void Run(string script) => BashScript.Run(script, "Setting up the TLS registry");
}
