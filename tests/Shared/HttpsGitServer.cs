using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Epsilon.Tests.Shared;

/// <summary>
/// A private Git host as a company runs one: Debian's nginx serving git's smart HTTP protocol (git-http-backend through
/// fcgiwrap) over HTTPS with a certificate <paramref name="ca"/> signed, every repository behind HTTP basic auth (an
/// htpasswd file from apache2-utils). Both run as this test's own processes, on loopback, in a temporary folder.
/// </summary>
internal sealed class HttpsGitServer : IAsyncDisposable
{
    private readonly string _root;
    private readonly Process _fcgiwrap;
    private readonly Process _nginx;

    private HttpsGitServer(string root, int port, Process fcgiwrap, Process nginx)
    {
        _root = root;
        Port = port;
        _fcgiwrap = fcgiwrap;
        _nginx = nginx;
    }

    public int Port { get; }

    /// <summary>The https URL of <paramref name="path"/> (e.g. <c>acme/private.git</c>) on this host.</summary>
    public string UrlOf(string path) => $"https://127.0.0.1:{Port}/{path}";

    /// <summary>Serves the repositories under <paramref name="repositories"/> (bare, by relative path) to <paramref name="username"/> alone.</summary>
    public static async Task<HttpsGitServer> StartAsync(TestCertificateAuthority ca, string repositories, string username, string password)
    {
        var root = Directory.CreateTempSubdirectory("epsilon-git-host-").FullName;
        var (certificate, key) = ca.WriteServerCertificate(root, "git");
        Run("htpasswd", root, "-bcB", Path.Combine(root, "htpasswd"), username, password);
        var socket = Path.Combine(root, "fcgiwrap.sock");
        var fcgiwrap = Start("fcgiwrap", "-s", $"unix:{socket}");
        for (var i = 0; i < 100 && !File.Exists(socket); i++)
        {
            await Task.Delay(50);
        }

        var port = FreePort();
        var config = Path.Combine(root, "nginx.conf");
        await File.WriteAllTextAsync(config, $$"""
            daemon off;
            master_process off;
            pid {{root}}/nginx.pid;
            error_log {{root}}/error.log warn;
            events { worker_connections 64; }
            http {
              access_log off;
              client_body_temp_path {{root}}/body;
              fastcgi_temp_path {{root}}/fastcgi;
              proxy_temp_path {{root}}/proxy;
              uwsgi_temp_path {{root}}/uwsgi;
              scgi_temp_path {{root}}/scgi;
              server {
                listen 127.0.0.1:{{port}} ssl;
                ssl_certificate {{certificate}};
                ssl_certificate_key {{key}};
                location / {
                  auth_basic "git";
                  auth_basic_user_file {{root}}/htpasswd;
                  include /etc/nginx/fastcgi_params;
                  fastcgi_param SCRIPT_FILENAME /usr/lib/git-core/git-http-backend;
                  fastcgi_param GIT_PROJECT_ROOT {{repositories}};
                  fastcgi_param GIT_HTTP_EXPORT_ALL "";
                  fastcgi_param PATH_INFO $uri;
                  fastcgi_param REMOTE_USER $remote_user;
                  fastcgi_pass unix:{{socket}};
                }
              }
            }
            """);
        var nginx = Start("nginx", "-p", root, "-c", config);
        for (var i = 0; ; i++)
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, port);
                break;
            }
            catch (SocketException) when (i < 100 && !nginx.HasExited)
            {
                await Task.Delay(50);
            }
        }

        return new HttpsGitServer(root, port, fcgiwrap, nginx);
    }

    private static Process Start(string file, params string[] arguments)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static void Run(string file, string directory, params string[] arguments)
    {
        var start = new ProcessStartInfo(file) { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} failed: {error}");
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>nginx's error log, for a failing test's message.</summary>
    public string ErrorLog => File.Exists(Path.Combine(_root, "error.log")) ? File.ReadAllText(Path.Combine(_root, "error.log"), Encoding.UTF8) : "";

    public async ValueTask DisposeAsync()
    {
        foreach (var process in new[] { _nginx, _fcgiwrap })
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
            }

            process.Dispose();
        }

        Directory.Delete(_root, recursive: true);
    }
}
