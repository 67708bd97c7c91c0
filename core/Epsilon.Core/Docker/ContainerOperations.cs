using System.Net;
using System.Runtime.CompilerServices;
using System.Text.Json;

namespace Epsilon.Core.Docker;

/// <summary>The container endpoints over a <see cref="DockerHttpTransport"/>.</summary>
internal sealed class ContainerOperations(DockerHttpTransport transport) : IContainerOperations
{
    public async Task<CreateContainerResponse> CreateContainerAsync(CreateContainerParameters parameters, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var query = new QueryStringBuilder().Add("name", parameters.Name);
        return await transport.SendAsync(
            HttpMethod.Post,
            "containers/create",
            query,
            DockerHttpTransport.JsonContent(parameters, DockerJsonContext.Default.CreateContainerParameters),
            DockerJsonContext.Default.CreateContainerResponse,
            DockerErrors.Default,
            cancellationToken).ConfigureAwait(false);
    }

    public async Task<bool> StartContainerAsync(string id, CancellationToken cancellationToken = default)
    {
        var (statusCode, _) = await transport.SendAsync(
            HttpMethod.Post, $"containers/{DockerHttpTransport.EscapePath(id)}/start", null, null, DockerErrors.Container, cancellationToken).ConfigureAwait(false);
        return statusCode != HttpStatusCode.NotModified;
    }

    public async Task<bool> StopContainerAsync(string id, int? waitBeforeKillSeconds = null, CancellationToken cancellationToken = default)
    {
        var query = new QueryStringBuilder().Add("t", waitBeforeKillSeconds);

        // The daemon answers only once the container is down, so the grace period extends the bound.
        var grace = TimeSpan.FromSeconds(Math.Max(waitBeforeKillSeconds ?? 10, 0));
        var (statusCode, _) = await transport.SendAsync(
            HttpMethod.Post, $"containers/{DockerHttpTransport.EscapePath(id)}/stop", query, null, DockerErrors.Container, cancellationToken, grace).ConfigureAwait(false);
        return statusCode != HttpStatusCode.NotModified;
    }

    public Task KillContainerAsync(string id, string signal = "SIGKILL", CancellationToken cancellationToken = default)
    {
        var query = new QueryStringBuilder().Add("signal", signal);
        return transport.SendAsync(HttpMethod.Post, $"containers/{DockerHttpTransport.EscapePath(id)}/kill", query, null, DockerErrors.Container, cancellationToken);
    }

    public Task PauseContainerAsync(string id, CancellationToken cancellationToken = default) =>
        transport.SendAsync(HttpMethod.Post, $"containers/{DockerHttpTransport.EscapePath(id)}/pause", null, null, DockerErrors.Container, cancellationToken);

    public Task UnpauseContainerAsync(string id, CancellationToken cancellationToken = default) =>
        transport.SendAsync(HttpMethod.Post, $"containers/{DockerHttpTransport.EscapePath(id)}/unpause", null, null, DockerErrors.Container, cancellationToken);

    public Task RemoveContainerAsync(string id, ContainerRemoveParameters? parameters = null, CancellationToken cancellationToken = default)
    {
        var query = new QueryStringBuilder()
            .Add("force", parameters?.Force ?? false)
            .Add("v", parameters?.RemoveVolumes ?? false);
        return transport.SendAsync(HttpMethod.Delete, $"containers/{DockerHttpTransport.EscapePath(id)}", query, null, DockerErrors.Container, cancellationToken);
    }

    public Task<ContainerInspectResponse> InspectContainerAsync(string id, CancellationToken cancellationToken = default) =>
        transport.SendAsync(
            HttpMethod.Get,
            $"containers/{DockerHttpTransport.EscapePath(id)}/json",
            null,
            null,
            DockerJsonContext.Default.ContainerInspectResponse,
            DockerErrors.Container,
            cancellationToken);

    public async Task<IReadOnlyList<ContainerListResponse>> ListContainersAsync(ContainersListParameters parameters, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var filters = new Dictionary<string, List<string>>();
        if (parameters.Labels is { Count: > 0 })
        {
            filters["label"] = [.. parameters.Labels.Select(label => label.Value is null ? label.Key : $"{label.Key}={label.Value}")];
        }

        if (parameters.Status is { Count: > 0 })
        {
            filters["status"] = [.. parameters.Status];
        }

        var query = new QueryStringBuilder()
            .Add("all", parameters.All)
            .Add("filters", filters.Count == 0 ? null : JsonSerializer.Serialize(filters, DockerJsonContext.Default.DictionaryStringListString));
        return await transport.SendAsync(
            HttpMethod.Get, "containers/json", query, null, DockerJsonContext.Default.ListContainerListResponse, DockerErrors.Default, cancellationToken).ConfigureAwait(false);
    }

    public async Task<ContainerWaitResponse> WaitContainerAsync(string id, CancellationToken cancellationToken = default)
    {
        // The daemon sends the headers at once and the body when the container stops: a stream, not a bounded call.
        using var response = await transport.SendStreamingAsync(
            HttpMethod.Post, $"containers/{DockerHttpTransport.EscapePath(id)}/wait", null, null, null, DockerErrors.Container, cancellationToken).ConfigureAwait(false);
        var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        var wire = JsonSerializer.Deserialize(body, DockerJsonContext.Default.ContainerWaitWireResponse)
            ?? throw new DockerApiException(response.StatusCode, $"Unexpected answer to a wait: {body}");
        return new ContainerWaitResponse
        {
            StatusCode = wire.StatusCode,
            ErrorMessage = string.IsNullOrEmpty(wire.Error?.Message) ? null : wire.Error.Message,
        };
    }

    public async IAsyncEnumerable<ContainerLogLine> GetContainerLogsAsync(
        string id, ContainerLogsParameters parameters, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var query = new QueryStringBuilder()
            .Add("follow", parameters.Follow)
            .Add("stdout", parameters.ShowStdout)
            .Add("stderr", parameters.ShowStderr)
            .Add("timestamps", parameters.Timestamps)
            .Add("since", parameters.Since)
            .Add("tail", parameters.Tail);
        using var response = await transport.SendStreamingAsync(
            HttpMethod.Get, $"containers/{DockerHttpTransport.EscapePath(id)}/logs", query, null, null, DockerErrors.Container, cancellationToken).ConfigureAwait(false);
        var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            await foreach (var line in ContainerLogDemultiplexer.ReadLinesAsync(stream, cancellationToken).ConfigureAwait(false))
            {
                yield return line;
            }
        }
    }
}
