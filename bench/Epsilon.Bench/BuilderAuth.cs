using System.Net.Http.Headers;
using System.Net.Http.Json;
using Epsilon.Core.Auth;

namespace Epsilon.Bench;

/// <summary>The bench's builders take this run's admin token as their bootstrap token; deploys send it.</summary>
internal static class BuilderAuth
{
    public static string Token { get; } = TokenSecret.Create();

    public static string BuilderArgument => $"--Epsilon:Builder:Auth:BootstrapToken={Token}";

    /// <summary>POSTs a deploy of <paramref name="repository"/> with the token (the client also calls gateways, which need none).</summary>
    public static Task<HttpResponseMessage> DeployAsync(HttpClient http, string builderUrl, string repository)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, builderUrl.TrimEnd('/') + "/deployments") { Content = JsonContent.Create(new { repository }) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Token);
        return http.SendAsync(request);
    }
}
