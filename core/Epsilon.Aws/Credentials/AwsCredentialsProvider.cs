using Amazon.Runtime;
using Amazon.Runtime.Credentials;

namespace Epsilon.Aws.Credentials;

/// <summary>
/// The credentials AWS requests are signed with: AWSSDK.Core's default chain (environment variables, the shared
/// profile, web identity, container and EC2 instance-role credentials through IMDSv2), resolved at the first request
/// rather than at start so a misconfigured machine fails the call that needs AWS, with the SDK's reason. The SDK's
/// credential objects renew temporary credentials themselves.
/// </summary>
internal sealed class AwsCredentialsProvider
{
    private readonly Lazy<AWSCredentials> _credentials;

    /// <summary>The default chain.</summary>
    public AwsCredentialsProvider()
        : this(null)
    {
    }

    /// <summary>Fixed credentials (tests), or the default chain when null.</summary>
    public AwsCredentialsProvider(AWSCredentials? credentials)
    {
        _credentials = new Lazy<AWSCredentials>(() => credentials ?? ResolveChain(), LazyThreadSafetyMode.ExecutionAndPublication);
    }

    public async Task<ImmutableCredentials> GetAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            return await _credentials.Value.GetCredentialsAsync().WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (AmazonClientException ex)
        {
            throw new AwsCredentialsException(
                $"No usable AWS credentials: {ex.Message} (set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, a shared profile with AWS_PROFILE, or run with an instance role).",
                ex);
        }
    }

    private static AWSCredentials ResolveChain()
    {
        try
        {
            return DefaultAWSCredentialsIdentityResolver.GetCredentials();
        }
        catch (AmazonClientException ex)
        {
            throw new AwsCredentialsException(
                $"No AWS credentials found: {ex.Message} (set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, a shared profile with AWS_PROFILE, or run with an instance role).",
                ex);
        }
    }
}
