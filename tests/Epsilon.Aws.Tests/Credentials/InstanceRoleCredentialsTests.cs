using Epsilon.Aws.Credentials;
using Epsilon.Aws.Tests.Stub;

namespace Epsilon.Aws.Tests.Credentials;

/// <summary>
/// AWSSDK.Core's default chain on a machine with no keys in the environment and no profile: the EC2 instance role,
/// read through IMDSv2 from the stub (AWS_EC2_METADATA_SERVICE_ENDPOINT, set by the fixture), and usable to sign.
/// </summary>
[Collection(AwsStubCollection.Name)]
public sealed class InstanceRoleCredentialsTests(AwsStubFixture fixture)
{
    private readonly AwsStub _stub = fixture.Stub;

    [Fact]
    public async Task The_default_chain_takes_the_instance_role_from_the_metadata_service_and_its_signatures_verify()
    {
        Assert.Null(Environment.GetEnvironmentVariable("AWS_ACCESS_KEY_ID"));

        var credentials = await new AwsCredentialsProvider().GetAsync();

        Assert.Equal(AwsStub.RoleAccessKey, credentials.AccessKey);
        Assert.Equal(AwsStub.RoleSessionToken, credentials.Token);
        Assert.Contains("PUT token", _stub.MetadataReads);
        Assert.Contains(_stub.MetadataReads, p => p.StartsWith("iam/security-credentials", StringComparison.Ordinal) && p.EndsWith(AwsStub.RoleName, StringComparison.Ordinal));

        var before = _stub.Ecr.Count();
        using var aws = StubClients.Aws(_stub, credentials: null);
        await StubClients.Ecr(aws, _stub).GetAuthorizationTokenAsync();

        var request = Assert.Single(_stub.Ecr.Skip(before));
        Assert.True(request.Signature!.Valid, request.Signature.Reason);
        Assert.Equal(AwsStub.RoleAccessKey, request.Signature.AccessKey);
        Assert.Equal(AwsStub.RoleSessionToken, request.Headers["x-amz-security-token"]);
    }
}
