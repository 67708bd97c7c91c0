using Amazon.Runtime;
using Epsilon.Aws.AutoScaling;
using Epsilon.Aws.Credentials;
using Epsilon.Aws.Ecr;
using Microsoft.Extensions.Options;

namespace Epsilon.Aws.Tests.Stub;

/// <summary>The product's AWS clients pointed at the stub.</summary>
internal static class StubClients
{
    public static AwsOptions Options(AwsStub stub) => new()
    {
        Region = "us-east-1",
        EcrEndpoint = stub.BaseAddress,
        AutoScalingEndpoint = stub.BaseAddress,
        MetadataEndpoint = stub.BaseAddress,
    };

    /// <summary>A client with fixed credentials, or the SDK's default chain when <paramref name="credentials"/> is null.</summary>
    public static AwsClient Aws(AwsStub stub, AWSCredentials? credentials, TimeProvider? timeProvider = null) =>
        new(new AwsCredentialsProvider(credentials), Microsoft.Extensions.Options.Options.Create(Options(stub)), timeProvider ?? TimeProvider.System);

    public static AWSCredentials Basic(string secret = AwsStub.SecretKey) => new BasicAWSCredentials(AwsStub.AccessKey, secret);

    public static EcrClient Ecr(AwsClient aws, AwsStub stub) => new(aws, Microsoft.Extensions.Options.Options.Create(Options(stub)));

    public static AutoScalingClient AutoScaling(AwsClient aws, AwsStub stub) => new(aws, Microsoft.Extensions.Options.Options.Create(Options(stub)));
}
