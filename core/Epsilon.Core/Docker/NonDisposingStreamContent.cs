using System.Net;

namespace Epsilon.Core.Docker;

/// <summary>
/// Sends a caller's stream without taking ownership of it: <see cref="StreamContent"/> would dispose the
/// caller's build context along with the request.
/// </summary>
internal sealed class NonDisposingStreamContent(Stream stream) : HttpContent
{
    protected override Task SerializeToStreamAsync(Stream target, TransportContext? context) =>
        SerializeToStreamAsync(target, context, CancellationToken.None);

    protected override Task SerializeToStreamAsync(Stream target, TransportContext? context, CancellationToken cancellationToken) =>
        stream.CopyToAsync(target, cancellationToken);

    protected override bool TryComputeLength(out long length)
    {
        if (stream.CanSeek)
        {
            length = stream.Length - stream.Position;
            return true;
        }

        length = 0;
        return false;
    }
}
