using System.Text;
using Microsoft.Extensions.Options;

namespace Epsilon.Aws.AutoScaling;

/// <summary>
/// Auto Scaling's <c>CompleteLifecycleAction</c> over the Query protocol: a signed, form-encoded POST to the regional
/// endpoint. The instance id identifies the action (IMDS gives no lifecycle action token).
/// </summary>
internal sealed class AutoScalingClient(AwsClient aws, IOptions<AwsOptions> options)
{
    public const string Service = "autoscaling";
    public const string ContentType = "application/x-www-form-urlencoded; charset=utf-8";
    public const string ApiVersion = "2011-01-01";

    public async Task CompleteLifecycleActionAsync(string autoScalingGroupName, string lifecycleHookName, string instanceId, string result = "CONTINUE",
        CancellationToken cancellationToken = default)
    {
        var settings = options.Value;
        await aws.SendAsync(new AwsRequest
        {
            Service = Service,
            Operation = "CompleteLifecycleAction",
            Region = settings.RequiredRegion(),
            Endpoint = settings.ResolveAutoScalingEndpoint(),
            Body = Encoding.UTF8.GetBytes(Form(
                ("Action", "CompleteLifecycleAction"),
                ("Version", ApiVersion),
                ("AutoScalingGroupName", autoScalingGroupName),
                ("LifecycleHookName", lifecycleHookName),
                ("InstanceId", instanceId),
                ("LifecycleActionResult", result))),
            ContentType = ContentType,
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>RFC 3986 percent-encoding, as AWS's Query protocol expects (a space is %20, not +).</summary>
    internal static string Form(params (string Name, string Value)[] parameters) =>
        string.Join('&', parameters.Select(p => $"{Uri.EscapeDataString(p.Name)}={Uri.EscapeDataString(p.Value)}"));
}
