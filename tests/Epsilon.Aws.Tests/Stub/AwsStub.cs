using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Epsilon.Aws.Tests.Stub;

/// <summary>
/// A real Kestrel server on a loopback port playing the three AWS services Epsilon calls: IMDSv2 (session token
/// required, 401 without; instance id, lifecycle state, the group tag and instance-role credentials), ECR's
/// <c>GetAuthorizationToken</c> and Auto Scaling's <c>CompleteLifecycleAction</c>. Every signed request is verified with
/// <see cref="SignatureCheck"/> against the keys it knows and refused with 403 in AWS's error shape on mismatch.
/// </summary>
internal sealed class AwsStub : IAsyncDisposable
{
    public const string AccessKey = "AKIDEXAMPLE";
    public const string SecretKey = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
    public const string RoleName = "epsilon-gateway";
    public const string RoleAccessKey = "ASIAEPSILONROLE";
    public const string RoleSecretKey = "role/secret+KEY/EXAMPLE";
    public const string RoleSessionToken = "IQoJb3JpZ2luX2VjEStubSessionToken==";
    public const string EcrPassword = "eyJwYXlsb2FkIjoic3R1YiJ9";
    public const string ProxyEndpoint = "https://123456789012.dkr.ecr.us-east-1.amazonaws.com";

    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, bool> _imdsTokens = new(StringComparer.Ordinal);

    private AwsStub(WebApplication app) => _app = app;

    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>The keys signatures are checked with: access key to secret and (for role credentials) session token.</summary>
    public ConcurrentDictionary<string, (string Secret, string? Token)> Keys { get; } = new(StringComparer.Ordinal)
    {
        [AccessKey] = (SecretKey, null),
        [RoleAccessKey] = (RoleSecretKey, RoleSessionToken),
    };

    public ConcurrentQueue<StubRequest> Requests { get; } = new();

    /// <summary>IMDS paths read, in order (the token PUT as <c>PUT token</c>).</summary>
    public ConcurrentQueue<string> MetadataReads { get; } = new();

    public string InstanceId { get; set; } = "i-0123456789abcdef0";

    public volatile string LifecycleState = "InService";

    public string? GroupNameTag { get; set; }

    /// <summary>When ECR's tokens expire; by default 12 hours after the request.</summary>
    public Func<DateTimeOffset> EcrExpiresAt { get; set; } = () => DateTimeOffset.UtcNow.AddHours(12);

    /// <summary>Tags BatchDeleteImage answers as not found.</summary>
    public HashSet<string> EcrMissingTags { get; } = new(StringComparer.Ordinal);

    public IEnumerable<StubRequest> Ecr => Requests.Where(r => r.Api == "ecr");

    public IEnumerable<StubRequest> AutoScaling => Requests.Where(r => r.Api == "autoscaling");

    public static async Task<AwsStub> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var stub = new AwsStub(app);
        app.MapPut("/latest/api/token", stub.IssueToken);
        app.MapGet("/latest/meta-data/{**path}", stub.ReadMetadata);
        app.MapPost("/", stub.ServeApiAsync);
        await app.StartAsync();
        stub.BaseAddress = new Uri(app.Urls.First().TrimEnd('/') + "/");
        return stub;
    }

    private IResult IssueToken(HttpContext context)
    {
        MetadataReads.Enqueue("PUT token");
        if (!int.TryParse(context.Request.Headers["X-aws-ec2-metadata-token-ttl-seconds"], out var ttl) || ttl is < 1 or > 21600)
        {
            return Results.StatusCode(400);
        }

        var token = Convert.ToBase64String(Guid.NewGuid().ToByteArray());
        _imdsTokens[token] = true;
        return Results.Text(token);
    }

    private IResult ReadMetadata(HttpContext context, string path)
    {
        MetadataReads.Enqueue(path);
        if (!_imdsTokens.ContainsKey(context.Request.Headers["X-aws-ec2-metadata-token"].ToString()))
        {
            return Results.StatusCode(401);
        }

        var expiration = DateTime.UtcNow.AddHours(6).ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture);
        return path switch
        {
            "instance-id" => Results.Text(InstanceId),
            "autoscaling/target-lifecycle-state" => Results.Text(LifecycleState),
            "tags/instance/aws:autoscaling:groupName" when GroupNameTag is not null => Results.Text(GroupNameTag),
            "iam/security-credentials" or "iam/security-credentials/" => Results.Text(RoleName),
            "iam/security-credentials/" + RoleName => Results.Text(
                $$"""{"Code":"Success","LastUpdated":"{{expiration}}","Type":"AWS-HMAC","AccessKeyId":"{{RoleAccessKey}}","SecretAccessKey":"{{RoleSecretKey}}","Token":"{{RoleSessionToken}}","Expiration":"{{expiration}}"}""",
                "text/plain"),
            "iam/info" => Results.Text(
                $$"""{"Code":"Success","LastUpdated":"{{expiration}}","InstanceProfileArn":"arn:aws:iam::123456789012:instance-profile/{{RoleName}}","InstanceProfileId":"AIPAEXAMPLE"}""",
                "text/plain"),
            _ => Results.NotFound(),
        };
    }

    private async Task ServeApiAsync(HttpContext context)
    {
        using var buffer = new MemoryStream();
        await context.Request.Body.CopyToAsync(buffer);
        var body = buffer.ToArray();
        var headers = context.Request.Headers.ToDictionary(h => h.Key.ToLowerInvariant(), h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
        var api = headers.ContainsKey("x-amz-target") ? "ecr" : "autoscaling";
        var check = SignatureCheck.Verify(context.Request.Method, context.Request.Path.Value ?? "/", context.Request.QueryString.Value ?? "", headers, body, Keys, api);
        Requests.Enqueue(new StubRequest(api, context.Request.Method, context.Request.Path.Value ?? "/", headers, body, check, DateTimeOffset.UtcNow));

        if (!check.Valid)
        {
            var code = check.Reason.Split(':')[0];
            context.Response.StatusCode = 403;
            if (api == "ecr")
            {
                // The JSON protocol's error shape.
                context.Response.Headers["x-amzn-ErrorType"] = code + ":";
                context.Response.ContentType = "application/x-amz-json-1.1";
                await context.Response.WriteAsync(JsonSerializer.Serialize(new Dictionary<string, string> { ["__type"] = code, ["message"] = check.Reason }));
            }
            else
            {
                // The Query protocol's error shape.
                context.Response.ContentType = "text/xml";
                await context.Response.WriteAsync(
                    $"<ErrorResponse xmlns=\"http://autoscaling.amazonaws.com/doc/2011-01-01/\"><Error><Type>Sender</Type><Code>{code}</Code><Message>{System.Security.SecurityElement.Escape(check.Reason)}</Message></Error><RequestId>{Guid.NewGuid()}</RequestId></ErrorResponse>");
            }

            return;
        }

        if (api == "ecr" && headers["x-amz-target"].EndsWith(".BatchDeleteImage", StringComparison.Ordinal))
        {
            // Every tag is deleted but those in EcrMissingTags, which fail as ImageNotFound, as ECR answers.
            using var request = JsonDocument.Parse(body);
            var tags = request.RootElement.GetProperty("imageIds").EnumerateArray().Select(i => i.GetProperty("imageTag").GetString()!).ToList();
            var deleted = tags.Where(t => !EcrMissingTags.Contains(t)).Select(t => new Dictionary<string, string> { ["imageDigest"] = "sha256:" + new string('a', 64), ["imageTag"] = t });
            var failures = tags.Where(EcrMissingTags.Contains).Select(t => new Dictionary<string, object>
            {
                ["imageId"] = new Dictionary<string, string> { ["imageTag"] = t },
                ["failureCode"] = "ImageNotFound",
                ["failureReason"] = "Requested image not found",
            });
            context.Response.ContentType = "application/x-amz-json-1.1";
            await context.Response.WriteAsync(JsonSerializer.Serialize(new Dictionary<string, object> { ["imageIds"] = deleted.ToList(), ["failures"] = failures.ToList() }));
            return;
        }

        if (api == "ecr")
        {
            var token = Convert.ToBase64String(Encoding.UTF8.GetBytes("AWS:" + EcrPassword));
            var expiresAt = EcrExpiresAt().ToUnixTimeMilliseconds() / 1000.0;
            context.Response.ContentType = "application/x-amz-json-1.1";
            await context.Response.WriteAsync(string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $$"""{"authorizationData":[{"authorizationToken":"{{token}}","expiresAt":{{expiresAt}},"proxyEndpoint":"{{ProxyEndpoint}}"}]}"""));
            return;
        }

        context.Response.ContentType = "text/xml";
        await context.Response.WriteAsync(
            $"<CompleteLifecycleActionResponse xmlns=\"http://autoscaling.amazonaws.com/doc/2011-01-01/\"><CompleteLifecycleActionResult/><ResponseMetadata><RequestId>{Guid.NewGuid()}</RequestId></ResponseMetadata></CompleteLifecycleActionResponse>");
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
