using System.Text.Json;
using Epsilon.Aws.Ecr;
using Epsilon.Aws.Tests.Stub;

namespace Epsilon.Aws.Tests.Ecr;

[Collection(AwsStubCollection.Name)]
public sealed class EcrImageRemoverTests(AwsStubFixture fixture)
{
    private readonly AwsStub _stub = fixture.Stub;

    [Fact]
    public async Task Remove_sends_one_signed_BatchDeleteImage_per_repository_and_counts_a_missing_tag_as_removed()
    {
        var before = _stub.Ecr.Count();
        _stub.EcrMissingTags.Add("v9");
        using var aws = StubClients.Aws(_stub, StubClients.Basic());
        var remover = new EcrImageRemover(StubClients.Ecr(aws, _stub));
        const string Registry = "123456789012.dkr.ecr.us-east-1.amazonaws.com";

        var removal = await remover.RemoveAsync([$"{Registry}/hello:v1", $"{Registry}/hello:v9", $"{Registry}/other:v2"]);

        Assert.Equal([$"{Registry}/hello:v1", $"{Registry}/hello:v9", $"{Registry}/other:v2"], removal.Removed.Order(StringComparer.Ordinal));
        Assert.Empty(removal.Failed);
        var requests = _stub.Ecr.Skip(before).ToList();
        Assert.Equal(2, requests.Count);
        Assert.All(requests, r => Assert.True(r.Signature!.Valid, r.Signature.Reason));
        Assert.All(requests, r => Assert.Equal(EcrClient.BatchDeleteImageTarget, r.Headers["x-amz-target"]));
        Assert.All(requests, r => Assert.Equal("ecr", r.Signature!.Service));
        using var hello = JsonDocument.Parse(requests.Single(r => r.BodyText.Contains("\"repositoryName\":\"hello\"", StringComparison.Ordinal)).BodyText);
        Assert.Equal(["v1", "v9"], hello.RootElement.GetProperty("imageIds").EnumerateArray().Select(i => i.GetProperty("imageTag").GetString()));
    }

    [Fact]
    public async Task Remove_with_a_refused_signature_reports_every_image_as_not_removed()
    {
        using var aws = StubClients.Aws(_stub, StubClients.Basic("not-the-secret"));
        var remover = new EcrImageRemover(StubClients.Ecr(aws, _stub));

        var removal = await remover.RemoveAsync(["123456789012.dkr.ecr.us-east-1.amazonaws.com/hello:v1"]);

        Assert.Empty(removal.Removed);
        Assert.Contains("SignatureDoesNotMatch", Assert.Single(removal.Failed), StringComparison.Ordinal);
    }
}
