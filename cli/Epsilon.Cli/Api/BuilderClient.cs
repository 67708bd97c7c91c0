using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Epsilon.Cli.Configuration;

namespace Epsilon.Cli.Api;

/// <summary>The builder's API as the CLI uses it: every call authenticated, every error turned into one clear line.</summary>
internal sealed class BuilderClient : IDisposable
{
    private readonly HttpClient _http;

    public BuilderClient(CliProfile profile)
    {
        if (string.IsNullOrEmpty(profile.Url))
        {
            throw new CliException(ExitCodes.Usage, "no builder is configured: run 'epsilon login --url https://builder.example.com' or pass --url");
        }

        if (!Uri.TryCreate(profile.Url.TrimEnd('/') + "/", UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https"))
        {
            throw new CliException(ExitCodes.Usage, $"--url '{profile.Url}' is not an http or https URL");
        }

        BaseUrl = url;
        Profile = profile;
        // Deploys stream their log for as long as the build runs; each call bounds itself instead.
        _http = PlatformHttp.Create(profile.CaFile, Timeout.InfiniteTimeSpan);
        _http.BaseAddress = url;
        if (!string.IsNullOrEmpty(profile.Token))
        {
            _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", profile.Token);
        }
    }

    public Uri BaseUrl { get; }

    public CliProfile Profile { get; }

    /// <summary>The builder's health endpoint answers.</summary>
    public async Task CheckHealthAsync(CancellationToken cancellationToken)
    {
        using var response = await SendAsync(HttpMethod.Get, "_epsilon/health", null, TimeSpan.FromSeconds(15), cancellationToken);
    }

    public Task<JsonElement> GetJsonAsync(string path, CancellationToken cancellationToken) =>
        JsonAsync(HttpMethod.Get, path, null, TimeSpan.FromSeconds(30), cancellationToken);

    public Task<JsonElement> PostJsonAsync(string path, string json, CancellationToken cancellationToken) =>
        PostJsonAsync(path, json, TimeSpan.FromSeconds(60), cancellationToken);

    /// <summary>A POST the builder answers only when work of its own ends (builds): bounded by <paramref name="timeout"/>.</summary>
    public Task<JsonElement> PostJsonAsync(string path, string json, TimeSpan timeout, CancellationToken cancellationToken) =>
        JsonAsync(HttpMethod.Post, path, json, timeout, cancellationToken);

    public Task<JsonElement> PatchJsonAsync(string path, string json, CancellationToken cancellationToken) =>
        JsonAsync(HttpMethod.Patch, path, json, TimeSpan.FromSeconds(60), cancellationToken);

    public Task<JsonElement> PutJsonAsync(string path, string json, CancellationToken cancellationToken) =>
        JsonAsync(HttpMethod.Put, path, json, TimeSpan.FromSeconds(60), cancellationToken);

    /// <summary>Sends a DELETE; an error status throws as every call's does.</summary>
    public async Task DeleteAsync(string path, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(HttpMethod.Delete, path, null, TimeSpan.FromSeconds(30), cancellationToken);
    }
    public Task<JsonElement> DeleteJsonAsync(string path, CancellationToken cancellationToken) =>
        JsonAsync(HttpMethod.Delete, path, null, TimeSpan.FromSeconds(60), cancellationToken);

    /// <summary>Streams a plain-text endpoint (a deployment's log with <c>follow=true</c>) to <paramref name="output"/> as it arrives.</summary>
    public async Task StreamTextAsync(string path, TextWriter output, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(HttpMethod.Get, path, null, timeout: null, cancellationToken, HttpCompletionOption.ResponseHeadersRead);
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        var buffer = new char[4096];
        try
        {
            int read;
            while ((read = await reader.ReadAsync(buffer, cancellationToken)) > 0)
            {
                await output.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                await output.FlushAsync(cancellationToken);
            }
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException && !cancellationToken.IsCancellationRequested)
        {
            throw PlatformHttp.Unreachable("builder", BaseUrl, ex);
        }
    }

    private async Task<JsonElement> JsonAsync(HttpMethod method, string path, string? json, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(method, path, json, timeout, cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        try
        {
            using var document = JsonDocument.Parse(text);
            return document.RootElement.Clone();
        }
        catch (JsonException)
        {
            throw new CliException(ExitCodes.Failed, $"the builder at {BaseUrl} answered {(int)response.StatusCode} with a body that is not JSON; is --url the builder's?");
        }
    }

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string? json, TimeSpan? timeout, CancellationToken cancellationToken,
        HttpCompletionOption completion = HttpCompletionOption.ResponseContentRead)
    {
        using var request = new HttpRequestMessage(method, path);
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (timeout is { } limit)
        {
            deadline.CancelAfter(limit);
        }

        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(request, completion, deadline.Token);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            throw PlatformHttp.Unreachable("builder", BaseUrl, ex);
        }

        if (response.IsSuccessStatusCode)
        {
            return response;
        }

        using (response)
        {
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            throw new CliException(PlatformHttp.ExitCodeOf(response.StatusCode), ApiError.Describe((int)response.StatusCode, body));
        }
    }

    public void Dispose() => _http.Dispose();
}
