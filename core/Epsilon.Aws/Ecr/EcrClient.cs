using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
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
    public const string BatchDeleteImageTarget = "AmazonEC2ContainerRegistry_V20150921.BatchDeleteImage";
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

    /// <summary>
    /// <c>BatchDeleteImage</c> of <paramref name="tags"/> (at most 100) in <paramref name="repository"/>: the tags deleted,
    /// and each failure as tag, code and reason (<c>ImageNotFound</c> for one already gone).
    /// </summary>
    public async Task<(IReadOnlyList<string> Deleted, IReadOnlyList<(string Tag, string Code, string Reason)> Failures)> BatchDeleteImageAsync(
        string repository, IReadOnlyList<string> tags, CancellationToken cancellationToken = default)
    {
        var settings = options.Value;
        var request = new JsonObject
        {
            ["repositoryName"] = repository,
            ["imageIds"] = new JsonArray(tags.Select(t => (JsonNode)new JsonObject { ["imageTag"] = t }).ToArray()),
        };
        var body = await aws.SendAsync(new AwsRequest
        {
            Service = Service,
            Operation = "BatchDeleteImage",
            Region = settings.RequiredRegion(),
            Endpoint = settings.ResolveEcrEndpoint(),
            Body = Encoding.UTF8.GetBytes(request.ToJsonString()),
            ContentType = ContentType,
            Target = BatchDeleteImageTarget,
        }, cancellationToken).ConfigureAwait(false);
        try
        {
            using var json = JsonDocument.Parse(body);
            var deleted = json.RootElement.TryGetProperty("imageIds", out var ids)
                ? ids.EnumerateArray().Select(i => i.TryGetProperty("imageTag", out var tag) ? tag.GetString() : null).OfType<string>().ToList()
                : [];
            var failures = json.RootElement.TryGetProperty("failures", out var failed)
                ? failed.EnumerateArray().Select(f => (
                    f.GetProperty("imageId").TryGetProperty("imageTag", out var tag) ? tag.GetString() ?? "" : "",
                    f.TryGetProperty("failureCode", out var code) ? code.GetString() ?? "" : "",
                    f.TryGetProperty("failureReason", out var reason) ? reason.GetString() ?? "" : "")).ToList()
                : [];
            return (deleted, failures);
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            throw new AwsRequestException(Service, "BatchDeleteImage", null, "InvalidResponse", $"the answer is not a BatchDeleteImage result: {ex.Message}", ex);
        }
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
