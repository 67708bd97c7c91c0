using System.Net;
using System.Text.Json;
using Epsilon.Aws.Ecr;
using Epsilon.Aws.Tests.Stub;

namespace Epsilon.Aws.Tests.Ecr;

[Collection(AwsStubCollection.Name)]
public sealed class EcrClientTests(AwsStubFixture fixture)
{
    private readonly AwsStub _stub = fixture.Stub;

    [Fact]
    public async Task GetAuthorizationToken_sends_the_request_of_the_API_reference_signed_for_ecr()
    {
        var before = _stub.Ecr.Count();
        using var aws = StubClients.Aws(_stub, StubClients.Basic());

        var authorization = await StubClients.Ecr(aws, _stub).GetAuthorizationTokenAsync();

        var request = Assert.Single(_stub.Ecr.Skip(before));
        using var fixtureJson = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "ecr-get-authorization-token.request.json")));
        var expected = fixtureJson.RootElement;
        Assert.Equal(expected.GetProperty("method").GetString(), request.Method);
        Assert.Equal(expected.GetProperty("path").GetString(), request.Path);
        foreach (var header in expected.GetProperty("headers").EnumerateObject())
        {
            Assert.Equal(header.Value.GetString(), request.Headers[header.Name]);
        }

        using var body = JsonDocument.Parse(request.Body);
        Assert.Equal(expected.GetProperty("body").GetRawText(), body.RootElement.GetRawText());
        Assert.True(request.Signature!.Valid, request.Signature.Reason);
        Assert.Equal(expected.GetProperty("signingService").GetString(), request.Signature.Service);
        Assert.Equal("us-east-1", request.Signature.Region);
        Assert.Equal(expected.GetProperty("signedHeaders").GetString(), request.Signature.SignedHeaders);

        Assert.Equal("AWS", authorization.Username);
        Assert.Equal(AwsStub.EcrPassword, authorization.Password);
        Assert.Equal("123456789012.dkr.ecr.us-east-1.amazonaws.com", authorization.RegistryHost);
        Assert.DoesNotContain(AwsStub.EcrPassword, authorization.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void The_API_reference_sample_response_decodes_to_the_user_password_and_expiry()
    {
        var authorization = EcrClient.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "ecr-get-authorization-token.response.json")));

        Assert.Equal("AWS", authorization.Username);
        Assert.Equal("stub-password", authorization.Password);
        Assert.Equal("https://012345678910.dkr.ecr.us-east-1.amazonaws.com", authorization.ProxyEndpoint);
        Assert.Equal(DateTimeOffset.Parse("2016-08-11T21:44:52.432Z", System.Globalization.CultureInfo.InvariantCulture), authorization.ExpiresAt);
    }

    [Fact]
    public async Task A_wrong_secret_is_refused_with_403_and_AWS_says_why()
    {
        using var aws = StubClients.Aws(_stub, StubClients.Basic("not-the-secret"));

        var error = await Assert.ThrowsAsync<AwsRequestException>(() => StubClients.Ecr(aws, _stub).GetAuthorizationTokenAsync());

        Assert.Equal(HttpStatusCode.Forbidden, error.StatusCode);
        Assert.Equal("SignatureDoesNotMatch", error.ErrorCode);
        Assert.Contains("AWS ecr GetAuthorizationToken failed with 403 SignatureDoesNotMatch", error.Message, StringComparison.Ordinal);
        Assert.Contains("does not match the signature you provided", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_endpoint_that_does_not_answer_is_a_clear_error()
    {
        var options = StubClients.Options(_stub);
        options.EcrEndpoint = new Uri("http://127.0.0.1:1/");
        using var aws = StubClients.Aws(_stub, StubClients.Basic());
        var ecr = new EcrClient(aws, Microsoft.Extensions.Options.Options.Create(options));

        var error = await Assert.ThrowsAsync<AwsRequestException>(() => ecr.GetAuthorizationTokenAsync());

        Assert.Null(error.StatusCode);
        Assert.Contains("did not answer", error.Message, StringComparison.Ordinal);
    }
}
