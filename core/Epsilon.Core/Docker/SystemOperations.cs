using System.Runtime.CompilerServices;
using System.Text.Json;

namespace Epsilon.Core.Docker;

/// <summary>The system endpoints over a <see cref="DockerHttpTransport"/>.</summary>
internal sealed class SystemOperations(DockerHttpTransport transport) : ISystemOperations
{
    public Task PingAsync(CancellationToken cancellationToken = default) =>
        transport.SendAsync(HttpMethod.Get, "_ping", null, null, DockerErrors.Default, cancellationToken);

    public Task<VersionResponse> GetVersionAsync(CancellationToken cancellationToken = default) =>
        transport.SendAsync(HttpMethod.Get, "version", null, null, DockerJsonContext.Default.VersionResponse, DockerErrors.Default, cancellationToken);

    public async IAsyncEnumerable<DockerEvent> MonitorEventsAsync(
        EventsParameters parameters, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var filters = parameters.Filters is { Count: > 0 }
            ? JsonSerializer.Serialize(
                parameters.Filters.ToDictionary(filter => filter.Key, filter => filter.Value.ToList()),
                DockerJsonContext.Default.DictionaryStringListString)
            : null;
        var query = new QueryStringBuilder()
            .Add("since", parameters.Since)
            .Add("until", parameters.Until)
            .Add("filters", filters);
        using var response = await transport.SendStreamingAsync(HttpMethod.Get, "events", query, null, null, DockerErrors.Default, cancellationToken).ConfigureAwait(false);
        var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            await foreach (var (dockerEvent, _) in JsonLineReader.ReadAsync(stream, DockerJsonContext.Default.DockerEvent, cancellationToken).ConfigureAwait(false))
            {
                yield return dockerEvent;
            }
        }
    }
}
