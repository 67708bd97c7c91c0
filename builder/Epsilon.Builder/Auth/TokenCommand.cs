using Epsilon.Core.Auth;
using Epsilon.Core.Store;

namespace Epsilon.Builder.Auth;

/// <summary>
/// <c>dotnet Epsilon.Builder.dll tokens create --name NAME --scope admin [--repository R]...</c>: makes a token in the
/// store directly, with the service's own configuration, and prints its secret once. How the first admin token is made
/// on the builder's host, where reaching the store already means being its operator.
/// </summary>
internal static class TokenCommand
{
    public const string Verb = "tokens";

    private const string Usage = "usage: Epsilon.Builder tokens create --name NAME --scope read|deploy|admin [--repository REPO]... [--Epsilon:Store:Path=...]";

    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, CancellationToken cancellationToken = default)
    {
        if (args is not ["create", ..])
        {
            await error.WriteLineAsync(Usage);
            return 2;
        }

        string? name = null, scope = null;
        var repositories = new List<string>();
        var configuration = new List<string>();
        for (var i = 1; i < args.Length; i++)
        {
            var value = i + 1 < args.Length ? args[i + 1] : null;
            switch (args[i])
            {
                case "--name" when value is not null:
                    name = value;
                    i++;
                    break;
                case "--scope" when value is not null:
                    scope = value;
                    i++;
                    break;
                case "--repository" when value is not null:
                    repositories.Add(value);
                    i++;
                    break;
                case var setting when setting.StartsWith("--", StringComparison.Ordinal) && setting.Contains('=', StringComparison.Ordinal):
                    configuration.Add(setting);
                    break;
                default:
                    await error.WriteLineAsync($"unexpected '{args[i]}'\n{Usage}");
                    return 2;
            }
        }

        if (!TokenGrant.TryCreate(name, scope, repositories, out var grant, out _, out var problem))
        {
            await error.WriteLineAsync($"{problem}\n{Usage}");
            return 2;
        }

        // The service's configuration (appsettings.json beside the binaries, Epsilon__* variables, --Key=Value), so the
        // token lands in the store the service uses.
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            Args = [.. configuration],
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.Logging.ClearProviders();
        builder.Services.AddFunctionStore();
        using var host = builder.Build();
        var store = host.Services.GetRequiredService<IFunctionStore>();
        await store.InitializeAsync(cancellationToken);
        var secret = TokenSecret.Create();
        var token = await host.Services.GetRequiredService<IApiTokenStore>()
            .CreateTokenAsync(grant!.Name, grant.Scope, grant.Repositories, TokenSecret.Hash(secret), cancellationToken);
        await error.WriteLineAsync($"Created {TokenGrant.ScopeName(token.Scope)} token '{token.Name}' ({token.Id}); its secret is shown this once.");
        await output.WriteLineAsync(secret);
        return 0;
    }
}
