using System.Net;
using System.Text;
using System.Text.Json;

namespace Epsilon.Core.Docker;

/// <summary>The image endpoints over a <see cref="DockerHttpTransport"/>.</summary>
internal sealed class ImageOperations(DockerHttpTransport transport) : IImageOperations
{
    private const string SuccessfullyBuilt = "Successfully built ";

    public async Task<string> BuildImageAsync(
        Stream tarContext, ImageBuildParameters parameters, IProgress<JsonMessage>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(tarContext);
        ArgumentNullException.ThrowIfNull(parameters);

        var query = new QueryStringBuilder();
        foreach (var tag in parameters.Tags ?? [])
        {
            query.Add("t", tag);
        }

        query.Add("dockerfile", parameters.Dockerfile)
            .Add("buildargs", ToJson(parameters.BuildArgs))
            .Add("labels", ToJson(parameters.Labels))
            .Add("nocache", parameters.NoCache)
            .Add("rm", parameters.Remove)
            .Add("forcerm", parameters.ForceRemove);

        var content = new NonDisposingStreamContent(tarContext) { Headers = { ContentType = new("application/x-tar") } };
        HttpResponseMessage response;
        try
        {
            response = await transport.SendStreamingAsync(
                HttpMethod.Post, "build", query, content, null, DockerErrors.Default, cancellationToken).ConfigureAwait(false);
        }
        catch (DockerApiException exception)
        {
            // A Dockerfile the daemon cannot parse or find is refused with 400 or 500 before any output:
            // for the caller it is a failed build like a failing RUN.
            throw new DockerBuildException(DockerApiException.GetDaemonMessage(exception.ResponseBody), "", exception);
        }

        using var _ = response;
        var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            var log = new StringBuilder();
            string? imageId = null;
            await foreach (var (message, _) in JsonLineReader.ReadAsync(stream, DockerJsonContext.Default.JsonMessage, cancellationToken).ConfigureAwait(false))
            {
                progress?.Report(message);
                if (message.Error is not null || message.ErrorDetail?.Message is not null)
                {
                    throw new DockerBuildException(message.Error ?? message.ErrorDetail!.Message!, log.ToString());
                }

                if (message.Stream is { } output)
                {
                    log.Append(output);
                    if (output.StartsWith(SuccessfullyBuilt, StringComparison.Ordinal))
                    {
                        imageId ??= output[SuccessfullyBuilt.Length..].Trim();
                    }
                }

                // The legacy builder reports the full id in aux; the "Successfully built" line only has a short one.
                if (message.Aux is { ValueKind: JsonValueKind.Object } aux
                    && aux.TryGetProperty("ID", out var id)
                    && id.ValueKind == JsonValueKind.String)
                {
                    imageId = id.GetString();
                }
            }

            return imageId ?? throw new DockerBuildException("The build ended without reporting an image id.", log.ToString());
        }
    }

    public Task CreateImageAsync(
        string image, string tag, AuthConfig? auth = null, IProgress<JsonMessage>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(image);

        // Without a tag the daemon pulls every tag of the repository.
        ArgumentException.ThrowIfNullOrEmpty(tag);
        var query = new QueryStringBuilder().Add("fromImage", image).Add("tag", tag);
        return SendJsonMessagesAsync(HttpMethod.Post, "images/create", query, auth, progress, cancellationToken);
    }

    public Task PushImageAsync(
        string name, string tag, AuthConfig? auth = null, IProgress<JsonMessage>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(tag);
        var query = new QueryStringBuilder().Add("tag", tag);
        return SendJsonMessagesAsync(HttpMethod.Post, $"images/{DockerHttpTransport.EscapePath(name)}/push", query, auth, progress, cancellationToken);
    }

    public Task TagImageAsync(string name, string repository, string tag, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(repository);
        var query = new QueryStringBuilder().Add("repo", repository).Add("tag", tag);
        return transport.SendAsync(HttpMethod.Post, $"images/{DockerHttpTransport.EscapePath(name)}/tag", query, null, DockerErrors.Image, cancellationToken);
    }

    public Task<ImageInspectResponse> InspectImageAsync(string name, CancellationToken cancellationToken = default) =>
        transport.SendAsync(
            HttpMethod.Get,
            $"images/{DockerHttpTransport.EscapePath(name)}/json",
            null,
            null,
            DockerJsonContext.Default.ImageInspectResponse,
            DockerErrors.Image,
            cancellationToken);

    public Task DeleteImageAsync(string name, bool force = false, CancellationToken cancellationToken = default)
    {
        var query = new QueryStringBuilder().Add("force", force);
        return transport.SendAsync(HttpMethod.Delete, $"images/{DockerHttpTransport.EscapePath(name)}", query, null, DockerErrors.Image, cancellationToken);
    }

    /// <summary>The <c>X-Registry-Auth</c> value: base64url (padded, as the daemon decodes it) of the credentials' JSON.</summary>
    internal static string EncodeAuth(AuthConfig? auth)
    {
        // The daemon requires the header for push even without credentials: an empty object then.
        var json = JsonSerializer.SerializeToUtf8Bytes(auth ?? new AuthConfig(), DockerJsonContext.Default.AuthConfig);
        return Convert.ToBase64String(json).Replace('+', '-').Replace('/', '_');
    }

    private static string? ToJson(IDictionary<string, string>? values) =>
        values is { Count: > 0 } ? JsonSerializer.Serialize(values, DockerJsonContext.Default.IDictionaryStringString) : null;

    private async Task SendJsonMessagesAsync(
        HttpMethod method, string path, QueryStringBuilder query, AuthConfig? auth, IProgress<JsonMessage>? progress, CancellationToken cancellationToken)
    {
        KeyValuePair<string, string>[] headers = [new("X-Registry-Auth", EncodeAuth(auth))];
        using var response = await transport.SendStreamingAsync(method, path, query, null, headers, DockerErrors.Image, cancellationToken).ConfigureAwait(false);
        var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            await foreach (var (message, line) in JsonLineReader.ReadAsync(stream, DockerJsonContext.Default.JsonMessage, cancellationToken).ConfigureAwait(false))
            {
                progress?.Report(message);
                if (message.Error is not null || message.ErrorDetail?.Message is not null)
                {
                    throw new DockerApiException(response.StatusCode, line);
                }
            }
        }
    }
}
