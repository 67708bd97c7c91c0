using System.Net;
using Epsilon.Aws.Metadata;
using Epsilon.Aws.Tests.Stub;
using Microsoft.Extensions.Options;

namespace Epsilon.Aws.Tests.Credentials;

[Collection(AwsStubCollection.Name)]
public sealed class InstanceMetadataClientTests(AwsStubFixture fixture)
{
    private readonly AwsStub _stub = fixture.Stub;

    [Fact]
    public async Task Reads_take_an_IMDSv2_token_once_and_the_stub_refuses_reads_without_one()
    {
        using var plain = new HttpClient();
        using var refused = await plain.GetAsync(new Uri(_stub.BaseAddress, "latest/meta-data/instance-id"));
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);

        using var metadata = new InstanceMetadataClient(Options.Create(StubClients.Options(_stub)), TimeProvider.System);
        var tokensBefore = _stub.MetadataReads.Count(r => r == "PUT token");

        Assert.Equal(_stub.InstanceId, await metadata.GetMetadataAsync("instance-id"));
        Assert.Equal(_stub.LifecycleState, await metadata.GetMetadataAsync("autoscaling/target-lifecycle-state"));
        Assert.Null(await metadata.GetMetadataAsync("no/such/path"));
        Assert.Equal(1, _stub.MetadataReads.Count(r => r == "PUT token") - tokensBefore);
    }
}
