using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Epsilon.Tests.Shared;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Epsilon.Core.Store;

/// <summary>
/// The PostgreSQL store with <c>SSL Mode=VerifyFull</c> against a server whose certificate a test CA signed. The server
/// is a throwaway cluster of its own (TLS required on its port), so the shared test cluster is left as it is.
/// </summary>
public sealed class PostgresTlsTests : IClassFixture<PostgresTlsTests.TlsCluster>
{
    private readonly TlsCluster _cluster;

    public PostgresTlsTests(TlsCluster cluster) => _cluster = cluster;

    [Fact]
    public async Task Store_WithVerifyFullAndTheTestCaAsRoot_ConnectsOverTls()
    {
        var connectionString = _cluster.ConnectionString(_cluster.CaPath);
        await using var store = new PostgresFunctionStore(
            Options.Create(new StoreOptions { Provider = StoreProvider.Postgres, ConnectionString = connectionString }), TimeProvider.System);

        await store.InitializeAsync();
        Assert.Empty(await store.ListGatewaysAsync());

        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()", connection);
        Assert.True((bool)(await command.ExecuteScalarAsync())!);
    }

    [Fact]
    public async Task Store_WithVerifyFullAndAnotherCaAsRoot_RefusesTheServer()
    {
        await using var store = new PostgresFunctionStore(
            Options.Create(new StoreOptions { Provider = StoreProvider.Postgres, ConnectionString = _cluster.ConnectionString(_cluster.OtherCaPath) }),
            TimeProvider.System);

        var error = await Assert.ThrowsAnyAsync<Exception>(() => store.InitializeAsync());
        Assert.IsType<System.Security.Authentication.AuthenticationException>(error.GetBaseException());
    }

    /// <summary>Starts the TLS-only cluster once for the class, on a free port, and removes it afterwards.</summary>
    public sealed class TlsCluster : IDisposable
    {
        private readonly string _files = Path.Combine(Path.GetTempPath(), $"epsilon-pg-tls-files-{Guid.NewGuid():N}");
        private readonly string _data = Path.Combine(Path.GetTempPath(), $"epsilon-pg-tls-{Guid.NewGuid():N}");
        private readonly int _port;

        public TlsCluster()
        {
            Directory.CreateDirectory(_files);
            using var ca = new TestCertificateAuthority("Epsilon PostgreSQL test CA");
            using var other = new TestCertificateAuthority("Some other CA");
            CaPath = ca.WriteCa(Path.Combine(_files, "ca.pem"));
            OtherCaPath = other.WriteCa(Path.Combine(_files, "other-ca.pem"));
            var (certificate, key) = ca.WriteServerCertificate(_files, "postgres");
            using (var listener = new TcpListener(IPAddress.Loopback, 0))
            {
                listener.Start();
                _port = ((IPEndPoint)listener.LocalEndpoint).Port;
            }

            Run($$"""
                set -euo pipefail
                BIN="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)"
                if [ "$(id -u)" -eq 0 ]; then SUDO=""; AS_PG=(runuser -u postgres --); else SUDO=sudo; AS_PG=(sudo -u postgres); fi
                $SUDO mkdir -p '{{_data}}'
                $SUDO chown postgres '{{_data}}'
                "${AS_PG[@]}" "$BIN/initdb" -D '{{_data}}/db' -U postgres --auth=trust --no-sync -E UTF8 >/dev/null
                $SUDO install -o postgres -m 600 '{{certificate}}' '{{_data}}/db/server.crt'
                $SUDO install -o postgres -m 600 '{{key}}' '{{_data}}/db/server.key'
                printf 'local all all trust\nhostssl all all 127.0.0.1/32 trust\n' | $SUDO tee '{{_data}}/db/pg_hba.conf' >/dev/null
                "${AS_PG[@]}" "$BIN/pg_ctl" -D '{{_data}}/db' -w -l '{{_data}}/server.log' -o "-c listen_addresses=127.0.0.1 -p {{_port}} -k {{_data}} -c fsync=off -c ssl=on" start >/dev/null
                """);
        }

        public string CaPath { get; }

        public string OtherCaPath { get; }

        public string ConnectionString(string rootCertificate) =>
            $"Host=localhost;Port={_port};Username=postgres;Database=postgres;SSL Mode=VerifyFull;Root Certificate={rootCertificate};Pooling=false";

        public void Dispose()
        {
            Run($$"""
                BIN="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)"
                if [ "$(id -u)" -eq 0 ]; then SUDO=""; AS_PG=(runuser -u postgres --); else SUDO=sudo; AS_PG=(sudo -u postgres); fi
                "${AS_PG[@]}" "$BIN/pg_ctl" -D '{{_data}}/db' -m immediate stop >/dev/null 2>&1 || true
                $SUDO rm -rf '{{_data}}'
                """);
            Directory.Delete(_files, recursive: true);
        }

        private static void Run(string script) => BashScript.Run(script, "Starting the TLS PostgreSQL cluster");
    }
}
