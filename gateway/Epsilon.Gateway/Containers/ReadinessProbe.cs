using System.Text.Json;
using Epsilon.Core.Contracts;

namespace Epsilon.Gateway.Containers;

/// <summary>
/// Asks a starting container's wrapper whether it is ready, and for the timeout it enforces. The answer comes from inside
/// the container, where the user's code runs, so it is read as hostile: no redirect is followed, at most
/// <see cref="MaxAnswerBytes"/> are read, and the timeout it reports is clamped to the gateway's ceiling.
/// </summary>
internal sealed class ReadinessProbe : IDisposable
{
    /// <summary>The most of a readiness answer read; the wrappers' is a few dozen bytes.</summary>
    public const int MaxAnswerBytes = 4096;

    private readonly HttpClient _client = new(new SocketsHttpHandler
    {
        UseProxy = false,
        AllowAutoRedirect = false,
        UseCookies = false,
        // A SYN sent before the container's bridge port forwards is lost; retry soon rather than wait for TCP's resend.
        ConnectTimeout = TimeSpan.FromMilliseconds(50),
        PooledConnectionIdleTimeout = TimeSpan.FromSeconds(1),
        MaxResponseHeadersLength = 16,
    })
    {
        Timeout = TimeSpan.FromSeconds(2),
    };

    /// <summary>
    /// The timeout the wrapper at <paramref name="url"/> enforces once it answers ready, clamped to <paramref name="maxTimeout"/>
    /// (<paramref name="fallback"/> when it reports none); null while it is not ready (not listening, busy, any other answer).
    /// </summary>
    /// <exception cref="ColdStartException">It answered ready with more than <see cref="MaxAnswerBytes"/>.</exception>
    public async Task<TimeSpan?> AskAsync(string url, TimeSpan fallback, TimeSpan maxTimeout, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await _client.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                return null;
            }

            var answer = await ReadBoundedAsync(response.Content, cancellationToken).ConfigureAwait(false)
                ?? throw new ColdStartException($"its readiness answer was larger than {MaxAnswerBytes} bytes");
            return Clamp(ReportedTimeoutMs(answer), fallback, maxTimeout);
        }
        catch (HttpRequestException)
        {
            // Not listening yet.
            return null;
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // The probe's own timeout: the process is busy starting.
            return null;
        }
    }

    /// <summary>The timeout a call gets: what the wrapper reports (milliseconds, when positive), else the fallback, never above the ceiling.</summary>
    internal static TimeSpan Clamp(long? reportedMs, TimeSpan fallback, TimeSpan maxTimeout)
    {
        if (reportedMs is not > 0)
        {
            return fallback > maxTimeout ? maxTimeout : fallback;
        }

        // Compared in milliseconds: TimeSpan.FromMilliseconds throws for what a hostile wrapper may say.
        return reportedMs.Value >= maxTimeout.TotalMilliseconds ? maxTimeout : TimeSpan.FromMilliseconds(reportedMs.Value);
    }

    private static long? ReportedTimeoutMs(byte[] answer)
    {
        try
        {
            using var json = JsonDocument.Parse(answer);
            return json.RootElement.ValueKind == JsonValueKind.Object
                && json.RootElement.TryGetProperty(WrapperProtocol.ReadyTimeoutMsProperty, out var timeoutMs) && timeoutMs.TryGetInt64(out var ms)
                ? ms
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>The body, or null when it is longer than <see cref="MaxAnswerBytes"/>.</summary>
    private static async Task<byte[]?> ReadBoundedAsync(HttpContent content, CancellationToken cancellationToken)
    {
        if (content.Headers.ContentLength > MaxAnswerBytes)
        {
            return null;
        }

        await using var body = await content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        var buffer = new byte[MaxAnswerBytes + 1];
        var length = 0;
        int read;
        while (length < buffer.Length && (read = await body.ReadAsync(buffer.AsMemory(length), cancellationToken).ConfigureAwait(false)) > 0)
        {
            length += read;
        }

        return length > MaxAnswerBytes ? null : buffer[..length];
    }

    public void Dispose() => _client.Dispose();
}
