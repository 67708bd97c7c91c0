using System.Net.Http.Headers;
using Epsilon.Core.Auth;

namespace Epsilon.EndToEnd.Tests.Infrastructure;

/// <summary>The admin token of every builder a test starts: given to it as its bootstrap token, sent by its clients.</summary>
public static class TestAdmin
{
    /// <summary>This run's admin secret.</summary>
    public static string Token { get; } = TokenSecret.Create();

    /// <summary>The builder argument that makes <see cref="Token"/> its bootstrap admin token.</summary>
    public static string BuilderArgument => $"--Epsilon:Builder:Auth:BootstrapToken={Token}";

    /// <summary>The same as an environment variable, for a builder run as a process.</summary>
    public static KeyValuePair<string, string> BuilderEnvironment => new("Epsilon__Builder__Auth__BootstrapToken", Token);

    /// <summary><paramref name="client"/>, sending <paramref name="token"/> (default: the admin's) on every request.</summary>
    public static HttpClient Authorize(HttpClient client, string? token = null)
    {
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token ?? Token);
        return client;
    }
}
