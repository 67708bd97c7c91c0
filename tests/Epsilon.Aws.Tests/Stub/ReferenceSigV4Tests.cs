using System.Text;

namespace Epsilon.Aws.Tests.Stub;

/// <summary>The stub's own verifier against the same published examples, so a pass against the stub means something.</summary>
public sealed class ReferenceSigV4Tests
{
    private const string Secret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";

    [Fact]
    public void Iam_ListUsers_canonical_request_signing_key_and_signature_match_the_documentation()
    {
        var headers = new Dictionary<string, string>
        {
            ["content-type"] = "application/x-www-form-urlencoded; charset=utf-8",
            ["host"] = "iam.amazonaws.com",
            ["x-amz-date"] = "20150830T123600Z",
        };
        var canonical = ReferenceSigV4.CanonicalRequest("GET", "/", "?Action=ListUsers&Version=2010-05-08", headers, "content-type;host;x-amz-date", []);

        Assert.Equal("f536975d06c0309214f805bb90ccff089219ecd68b2577efef23edd43b7e1a59", ReferenceSigV4.Sha256Hex(Encoding.UTF8.GetBytes(canonical)));
        Assert.Equal("c4afb1cc5771d871763a393e44b703571b55cc28424d1a5e86da6ed3c154a4b9",
            ReferenceSigV4.Hex(ReferenceSigV4.SigningKey(Secret, "20150830", "us-east-1", "iam")));
        Assert.Equal("5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7",
            ReferenceSigV4.Signature(Secret, "20150830T123600Z", "us-east-1", "iam", canonical));
    }

    [Fact]
    public void Get_vanilla_verifies_and_a_changed_request_does_not()
    {
        var headers = new Dictionary<string, string>
        {
            ["host"] = "example.amazonaws.com",
            ["x-amz-date"] = "20150830T123600Z",
            ["authorization"] = "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31",
        };
        var keys = new Dictionary<string, (string, string?)> { ["AKIDEXAMPLE"] = (Secret, null) };

        Assert.True(SignatureCheck.Verify("GET", "/", "", headers, [], keys, "service").Valid);
        Assert.False(SignatureCheck.Verify("POST", "/", "", headers, [], keys, "service").Valid);
        Assert.False(SignatureCheck.Verify("GET", "/", "", headers, "x"u8.ToArray(), keys, "service").Valid);
        Assert.False(SignatureCheck.Verify("GET", "/", "", headers, [], new Dictionary<string, (string, string?)> { ["AKIDEXAMPLE"] = ("other", null) }, "service").Valid);
    }
}
