using Docker.DotNet.Models;
using Epsilon.Core.Registry;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Epsilon.Aws.Ecr;

/// <summary>
/// Registry credentials from Amazon ECR: a token fetched at the first push or pull and reused until
/// <see cref="AwsOptions.EcrTokenRefreshMargin"/> before it expires, so each deploy or cold start does not cost an
/// AWS round trip. One fetch at a time; callers that arrive meanwhile get its result.
/// </summary>
internal sealed partial class EcrRegistryCredentials(
    EcrClient ecr,
    IOptions<AwsOptions> options,
    IOptions<RegistryOptions> registry,
    TimeProvider timeProvider,
    ILogger<EcrRegistryCredentials> logger) : IRegistryCredentials, IDisposable
{
    private readonly SemaphoreSlim _fetching = new(1, 1);
    private volatile EcrAuthorization? _current;

    public async ValueTask<AuthConfig?> GetAsync(CancellationToken cancellationToken = default)
    {
        var authorization = Fresh(_current) ?? await FetchAsync(cancellationToken).ConfigureAwait(false);
        return new AuthConfig
        {
            Username = authorization.Username,
            Password = authorization.Password,
            ServerAddress = authorization.RegistryHost,
        };
    }

    private async Task<EcrAuthorization> FetchAsync(CancellationToken cancellationToken)
    {
        await _fetching.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (Fresh(_current) is { } fetchedMeanwhile)
            {
                return fetchedMeanwhile;
            }

            var authorization = await ecr.GetAuthorizationTokenAsync(cancellationToken).ConfigureAwait(false);
            Log.TokenFetched(logger, authorization.RegistryHost, authorization.ExpiresAt);
            if (!string.Equals(authorization.RegistryHost, registry.Value.Address, StringComparison.OrdinalIgnoreCase))
            {
                // Images are named after Epsilon:Registry:Address; a token for another registry would be refused at push.
                Log.AddressMismatch(logger, authorization.RegistryHost, registry.Value.Address);
            }

            _current = authorization;
            return authorization;
        }
        finally
        {
            _fetching.Release();
        }
    }

    private EcrAuthorization? Fresh(EcrAuthorization? authorization) =>
        authorization is not null && timeProvider.GetUtcNow() < authorization.ExpiresAt - options.Value.EcrTokenRefreshMargin ? authorization : null;

    public void Dispose() => _fetching.Dispose();

    private static partial class Log
    {
        [LoggerMessage(EventId = 9000, Level = LogLevel.Information, Message = "Fetched an ECR token for '{Registry}', valid until {ExpiresAt:O}.")]
        public static partial void TokenFetched(ILogger logger, string registry, DateTimeOffset expiresAt);

        [LoggerMessage(EventId = 9001, Level = LogLevel.Warning,
            Message = "The ECR token is for '{Registry}' but images are named after Epsilon:Registry:Address '{Address}'; set the address to the ECR registry.")]
        public static partial void AddressMismatch(ILogger logger, string registry, string address);
    }
}
