using System.Text.Json;
using Epsilon.Aws.Tests.Stub;

namespace Epsilon.Aws.Tests.AutoScaling;

[Collection(AwsStubCollection.Name)]
public sealed class AutoScalingClientTests(AwsStubFixture fixture)
{
    private readonly AwsStub _stub = fixture.Stub;

    [Fact]
    public async Task CompleteLifecycleAction_sends_the_request_of_the_API_reference_signed_for_autoscaling()
    {
        using var fixtureJson = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "autoscaling-complete-lifecycle-action.request.json")));
        var expected = fixtureJson.RootElement;
        var form = expected.GetProperty("form");
        var before = _stub.AutoScaling.Count();
        using var aws = StubClients.Aws(_stub, StubClients.Basic());

        await StubClients.AutoScaling(aws, _stub).CompleteLifecycleActionAsync(
            form.GetProperty("AutoScalingGroupName").GetString()!, form.GetProperty("LifecycleHookName").GetString()!, form.GetProperty("InstanceId").GetString()!);

        var request = Assert.Single(_stub.AutoScaling.Skip(before));
        Assert.Equal(expected.GetProperty("method").GetString(), request.Method);
        Assert.Equal(expected.GetProperty("path").GetString(), request.Path);
        Assert.Equal(expected.GetProperty("headers").GetProperty("content-type").GetString(), request.Headers["content-type"]);
        Assert.Equal(form.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!), request.Form);
        Assert.True(request.Signature!.Valid, request.Signature.Reason);
        Assert.Equal(expected.GetProperty("signingService").GetString(), request.Signature.Service);
        Assert.Equal(expected.GetProperty("signedHeaders").GetString(), request.Signature.SignedHeaders);
    }

    [Fact]
    public async Task A_wrong_secret_is_refused_with_the_Query_protocol_error()
    {
        using var aws = StubClients.Aws(_stub, StubClients.Basic("wrong"));

        var error = await Assert.ThrowsAsync<AwsRequestException>(() => StubClients.AutoScaling(aws, _stub).CompleteLifecycleActionAsync("g", "h", "i-1"));

        Assert.Equal(System.Net.HttpStatusCode.Forbidden, error.StatusCode);
        Assert.Equal("SignatureDoesNotMatch", error.ErrorCode);
        Assert.Contains("autoscaling CompleteLifecycleAction failed with 403", error.Message, StringComparison.Ordinal);
    }
}
