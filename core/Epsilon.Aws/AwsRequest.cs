namespace Epsilon.Aws;

/// <summary>One signed AWS API call: where it goes, what it carries and how it is signed.</summary>
internal sealed record AwsRequest
{
    /// <summary>The signing name of the service (<c>ecr</c>, <c>autoscaling</c>).</summary>
    public required string Service { get; init; }

    /// <summary>The operation, for errors and logs.</summary>
    public required string Operation { get; init; }

    public required string Region { get; init; }

    public required Uri Endpoint { get; init; }

    public required byte[] Body { get; init; }

    /// <summary>The content type exactly as sent and signed.</summary>
    public required string ContentType { get; init; }

    /// <summary>The JSON protocol's <c>X-Amz-Target</c>, when the service uses it.</summary>
    public string? Target { get; init; }
}
