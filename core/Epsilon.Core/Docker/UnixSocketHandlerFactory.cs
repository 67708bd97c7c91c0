using System.Net.Sockets;
using Docker.DotNet.Handler.Abstractions;
using Docker.DotNet.NativeHttp;
using Microsoft.Extensions.Logging;

namespace Epsilon.Core.Docker;

/// <summary>
/// Docker.DotNet's native HTTP transport (a <see cref="SocketsHttpHandler"/> that keeps connections open and reuses
/// them) over the daemon's unix socket. The library's own unix transport opens a connection for every request and closes
/// it after the answer, which costs the gateway about 0.3 ms of wall time and 0.2 ms of CPU per call on its cold and thaw paths.
/// </summary>
internal sealed class UnixSocketHandlerFactory : IDockerHandlerFactory<NativeHttpTransportOptions>
{
    // Requests only name the daemon; the connection itself is made to the socket by the callback.
    private static readonly Uri s_requestAddress = new("http://docker.sock");

    private UnixSocketHandlerFactory()
    {
    }

    public static UnixSocketHandlerFactory Instance { get; } = new();

    public ResolvedTransport CreateHandler(ResolvedClientOptions clientOptions, ILogger logger) =>
        CreateHandler(new NativeHttpTransportOptions(), clientOptions, logger);

    public ResolvedTransport CreateHandler(NativeHttpTransportOptions transportOptions, ResolvedClientOptions clientOptions, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(transportOptions);
        ArgumentNullException.ThrowIfNull(clientOptions);
        if (!string.Equals(clientOptions.Endpoint.Scheme, "unix", StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidOperationException($"{nameof(UnixSocketHandlerFactory)} takes unix:// endpoints, not '{clientOptions.Endpoint}'.");
        }

        var socketPath = clientOptions.Endpoint.LocalPath;
        var unixOptions = transportOptions with
        {
            ConfigureHandler = handler =>
            {
                transportOptions.ConfigureHandler(handler);
                handler.ConnectCallback = (_, cancellationToken) => ConnectAsync(socketPath, cancellationToken);
            },
        };
        return DockerHandlerFactory.Instance.CreateHandler(unixOptions, clientOptions with { Endpoint = s_requestAddress }, logger);
    }

    public Task<WriteClosableStream> HijackStreamAsync(HttpContent content) => DockerHandlerFactory.Instance.HijackStreamAsync(content);

    private static async ValueTask<Stream> ConnectAsync(string socketPath, CancellationToken cancellationToken)
    {
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            await socket.ConnectAsync(new UnixDomainSocketEndPoint(socketPath), cancellationToken).ConfigureAwait(false);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
