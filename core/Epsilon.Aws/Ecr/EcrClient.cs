using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;

namespace Epsilon.Aws.Ecr;

/// <summary>
/// Amazon ECR's <c>GetAuthorizationToken</c> over the JSON 1.1 protocol: a signed POST of <c>{}</c> to the regional
/// endpoint with the operation in <c>X-Amz-Target</c>; the answer's token is base64 of <c>AWS:password</c>.
/// </summary>
internal sealed class EcrClient(AwsClient aws, IOptions<AwsOptions> options)
{
    public const string Service = "ecr";
    public const string ContentType = "application/x-amz-json-1.1";
    public const string GetAuthorizationTokenTarget = "AmazonEC2ContainerRegistry_V20150921.GetAuthorizationToken";
    private const string Operation = "GetAuthorizationToken";

    public async Task<EcrAuthorization> GetAuthorizationTokenAsync(CancellationToken cancellationToken = default)
    {
        var settings = options.Value;
        var body = await aws.SendAsync(new AwsRequest
        {
            Service = Service,
            Operation = Operation,
            Region = settings.RequiredRegion(),
            Endpoint = settings.ResolveEcrEndpoint(),
            Body = "{}"u8.ToArray(),
            ContentType = ContentType,
            Target = GetAuthorizationTokenTarget,
        }, cancellationToken).ConfigureAwait(false);
        return Parse(body);
    }

    /// <summary>Reads the first <c>authorizationData</c> entry (one per request without registry ids).</summary>
    internal static EcrAuthorization Parse(string body)
    {
        try
        {
            using var json = JsonDocument.Parse(body);
            var data = json.RootElement.GetProperty("authorizationData");
            if (data.GetArrayLength() == 0)
            {
                throw Invalid("no authorizationData");
            }

            var entry = data[0];
            var token = Encoding.UTF8.GetString(Convert.FromBase64String(entry.GetProperty("authorizationToken").GetString() ?? ""));
            var colon = token.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0)
            {
                throw Invalid("the token is not user:password");
            }

            // JSON 1.1 timestamps are epoch seconds with a fraction; milliseconds are what they carry.
            var expiresAt = DateTimeOffset.FromUnixTimeMilliseconds((long)Math.Round(entry.GetProperty("expiresAt").GetDouble() * 1000));
            var proxyEndpoint = entry.GetProperty("proxyEndpoint").GetString() ?? throw Invalid("no proxyEndpoint");
            return new EcrAuthorization(token[..colon], token[(colon + 1)..], proxyEndpoint, expiresAt);
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or FormatException or InvalidOperationException)
        {
            throw new AwsRequestException(Service, Operation, null, "InvalidResponse", $"the answer is not an authorization token: {ex.Message}", ex);
        }

        static InvalidOperationException Invalid(string reason) => new(reason);
    }
}
