using Epsilon.Core.Auth;
using Epsilon.Core.Store;
using Microsoft.Extensions.Options;

namespace Epsilon.Builder.Auth;

/// <summary>At start, keeps the configured <see cref="BuilderAuthOptions.BootstrapToken"/> as the admin token named <c>bootstrap</c>.</summary>
internal sealed partial class BootstrapTokenService(IFunctionStore store, IApiTokenStore tokens, IOptions<BuilderAuthOptions> options,
    ILogger<BootstrapTokenService> logger) : IHostedService
{
    /// <summary>The name the bootstrap token has in the token list.</summary>
    public const string TokenName = "bootstrap";

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var secret = options.Value.BootstrapToken?.Trim();
        if (string.IsNullOrEmpty(secret))
        {
            return;
        }

        await store.InitializeAsync(cancellationToken);
        var token = await tokens.UpsertAdminTokenAsync(TokenName, TokenSecret.Hash(secret), cancellationToken);
        Log.Bootstrapped(logger, token.Id);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private static partial class Log
    {
        [LoggerMessage(EventId = 3010, Level = LogLevel.Information, Message = "The configured bootstrap token is admin token '{TokenId}'.")]
        public static partial void Bootstrapped(ILogger logger, string tokenId);
    }
}
