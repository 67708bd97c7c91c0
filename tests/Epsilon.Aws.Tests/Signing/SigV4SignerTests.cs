using System.Net.Http.Headers;
using System.Text;
using Amazon.Runtime;
using Epsilon.Aws.Signing;

namespace Epsilon.Aws.Tests.Signing;

/// <summary>
/// The product's signer (AWSSDK.Core's AWS4Signer underneath) against the signatures AWS publishes: the SigV4 test
/// suite's <c>get-vanilla</c> and <c>post-x-www-form-urlencoded</c>, and the IAM <c>ListUsers</c> example of the
/// signing documentation, all with AWS's example key at 2015-08-30T12:36:00Z.
/// </summary>
public sealed class SigV4SignerTests
{
    private const string Scope = "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/";
    private static readonly ImmutableCredentials Example = new("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", null);
    private static readonly DateTimeOffset At = new(2015, 8, 30, 12, 36, 0, TimeSpan.Zero);

    [Fact]
    public void Get_vanilla_of_the_test_suite()
    {
        var added = SigV4Signer.Sign("GET", new Uri("https://example.amazonaws.com/"), [], [], Example, "us-east-1", "service", At);

        Assert.Equal("20150830T123600Z", Header(added, "X-Amz-Date"));
        Assert.Equal(Scope + "service/aws4_request, SignedHeaders=host;x-amz-date, Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31",
            Header(added, "Authorization"));
        Assert.DoesNotContain(added, h => h.Key == "X-Amz-Security-Token");
    }

    [Fact]
    public void Post_x_www_form_urlencoded_of_the_test_suite()
    {
        var added = SigV4Signer.Sign("POST", new Uri("https://example.amazonaws.com/"), [new("Content-Type", "application/x-www-form-urlencoded")],
            "Param1=value1"u8, Example, "us-east-1", "service", At);

        Assert.Equal(Scope + "service/aws4_request, SignedHeaders=content-type;host;x-amz-date, Signature=ff11897932ad3f4e8b18135d722051e5ac45fc38421b1da7b9d196a0fe09473a",
            Header(added, "Authorization"));
    }

    [Fact]
    public void Post_x_www_form_urlencoded_signed_on_an_HttpRequestMessage_as_sent()
    {
        var body = Encoding.UTF8.GetBytes("Param1=value1");
        using var request = new HttpRequestMessage(HttpMethod.Post, "https://example.amazonaws.com/") { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse("application/x-www-form-urlencoded");

        SigV4Signer.Sign(request, body, Example, "us-east-1", "service", At);

        Assert.Equal("20150830T123600Z", request.Headers.GetValues("X-Amz-Date").Single());
        Assert.EndsWith("Signature=ff11897932ad3f4e8b18135d722051e5ac45fc38421b1da7b9d196a0fe09473a", request.Headers.GetValues("Authorization").Single());
    }

    [Fact]
    public void Iam_ListUsers_example_of_the_signing_documentation()
    {
        var added = SigV4Signer.Sign("GET", new Uri("https://iam.amazonaws.com/?Action=ListUsers&Version=2010-05-08"),
            [new("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")], [], Example, "us-east-1", "iam", At);

        Assert.Equal(Scope + "iam/aws4_request, SignedHeaders=content-type;host;x-amz-date, Signature=5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7",
            Header(added, "Authorization"));
    }

    [Fact]
    public void Session_credentials_sign_and_send_the_security_token()
    {
        var session = new ImmutableCredentials("ASIAEXAMPLE", "secret", "the-session-token");

        var added = SigV4Signer.Sign("POST", new Uri("https://api.ecr.eu-west-1.amazonaws.com/"), [], "{}"u8, session, "eu-west-1", "ecr", At);

        Assert.Equal("the-session-token", Header(added, "X-Amz-Security-Token"));
        Assert.Contains("SignedHeaders=host;x-amz-date;x-amz-security-token,", Header(added, "Authorization"), StringComparison.Ordinal);
    }

    private static string Header(IReadOnlyList<KeyValuePair<string, string>> headers, string name) => headers.Single(h => h.Key == name).Value;
}
