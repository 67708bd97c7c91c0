namespace Epsilon.Aws;

/// <summary>Where Epsilon reaches AWS. Bound from <c>Epsilon:Aws</c>; endpoints are overridable for tests and private endpoints.</summary>
public sealed class AwsOptions
{
    /// <summary>Configuration section.</summary>
    public const string SectionName = "Epsilon:Aws";

    /// <summary>The region (e.g. <c>eu-west-1</c>). Default: the <c>AWS_REGION</c> or <c>AWS_DEFAULT_REGION</c> environment variable.</summary>
    public string? Region { get; set; } = Environment.GetEnvironmentVariable("AWS_REGION") is { Length: > 0 } region
        ? region
        : Environment.GetEnvironmentVariable("AWS_DEFAULT_REGION");

    /// <summary>Amazon ECR's API endpoint. Default: <c>https://api.ecr.{Region}.amazonaws.com/</c>.</summary>
    public Uri? EcrEndpoint { get; set; }

    /// <summary>Auto Scaling's API endpoint. Default: <c>https://autoscaling.{Region}.amazonaws.com/</c>.</summary>
    public Uri? AutoScalingEndpoint { get; set; }

    /// <summary>
    /// The instance metadata service (IMDSv2). Default: what AWSSDK.Core resolves, which honours the
    /// <c>AWS_EC2_METADATA_SERVICE_ENDPOINT</c> environment variable (also what its instance-role credentials use).
    /// </summary>
    public Uri? MetadataEndpoint { get; set; }

    /// <summary>How long one AWS request may take.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How long before an ECR token's <c>expiresAt</c> a new one is fetched, so a push or pull that starts with the cached
    /// token does not outlive it (tokens last 12 hours).
    /// </summary>
    public TimeSpan EcrTokenRefreshMargin { get; set; } = TimeSpan.FromMinutes(30);

    internal Uri ResolveEcrEndpoint() => EcrEndpoint ?? new Uri($"https://api.ecr.{RequiredRegion()}.amazonaws.com/");

    internal Uri ResolveAutoScalingEndpoint() => AutoScalingEndpoint ?? new Uri($"https://autoscaling.{RequiredRegion()}.amazonaws.com/");

    internal string RequiredRegion() => Region is { Length: > 0 } region
        ? region
        : throw new InvalidOperationException("Epsilon:Aws:Region (or the AWS_REGION environment variable) must name the AWS region.");
}
