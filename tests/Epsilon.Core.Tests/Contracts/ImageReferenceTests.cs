namespace Epsilon.Core.Contracts;

public sealed class ImageReferenceTests
{
    private const string Sha = "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    [Theory]
    [InlineData("127.0.0.1:5000/hello:v3", "127.0.0.1:5000", "hello", "v3", null)]
    [InlineData("127.0.0.1:5000/hello", "127.0.0.1:5000", "hello", null, null)]
    [InlineData("localhost:5000/team/hello:v12", "localhost:5000", "team/hello", "v12", null)]
    [InlineData("localhost/hello", "localhost", "hello", null, null)]
    [InlineData("registry.example.com/a/b/c:1.0-rc_1", "registry.example.com", "a/b/c", "1.0-rc_1", null)]
    [InlineData("[::1]:5000/hello:v1", "[::1]:5000", "hello", "v1", null)]
    [InlineData("Registry/hello", "Registry", "hello", null, null)]
    [InlineData("debian", null, "debian", null, null)]
    [InlineData("debian:bookworm", null, "debian", "bookworm", null)]
    [InlineData("library/debian:bookworm", null, "library/debian", "bookworm", null)]
    [InlineData("epsilon/runtime-node:3f2a9c1b7d4e", null, "epsilon/runtime-node", "3f2a9c1b7d4e", null)]
    [InlineData("my_team__x/some.name-with--dashes", null, "my_team__x/some.name-with--dashes", null, null)]
    [InlineData("127.0.0.1:5000/hello@" + Sha, "127.0.0.1:5000", "hello", null, Sha)]
    [InlineData("127.0.0.1:5000/hello:v3@" + Sha, "127.0.0.1:5000", "hello", "v3", Sha)]
    public void Parse_ValidReference_SplitsRegistryRepositoryTagAndDigest(string text, string? registry, string repository, string? tag, string? digest)
    {
        var reference = ImageReference.Parse(text);

        Assert.Equal((registry, repository, tag, digest), (reference.Registry, reference.Repository, reference.Tag, reference.Digest));
        Assert.Equal(text, reference.ToString());
    }

    [Theory]
    [InlineData("127.0.0.1:5000/hello:v3", "127.0.0.1:5000/hello", "v3")]
    [InlineData("127.0.0.1:5000/hello", "127.0.0.1:5000/hello", "latest")]
    [InlineData("debian", "debian", "latest")]
    [InlineData("127.0.0.1:5000/hello:v3@" + Sha, "127.0.0.1:5000/hello", Sha)]
    public void NameAndTagOrDigest_AreWhatTheEngineApiPullsAndPushes(string text, string name, string tag)
    {
        var reference = ImageReference.Parse(text);

        Assert.Equal((name, tag), (reference.Name, reference.TagOrDigest));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData(" ")]
    [InlineData("hello:")]
    [InlineData(":v1")]
    [InlineData("/hello")]
    [InlineData("hello/")]
    [InlineData("127.0.0.1:5000/")]
    [InlineData("127.0.0.1:5000/hello:")]
    [InlineData("Hello")]
    [InlineData("127.0.0.1:5000/Hello:v1")]
    [InlineData("hello:v 1")]
    [InlineData("hello:.v1")]
    [InlineData("hello:-v1")]
    [InlineData("hello::v1")]
    [InlineData("hello\n")]
    [InlineData("hello:v1\n")]
    [InlineData("registry.example.com:port/hello")]
    [InlineData("-registry.example.com/hello")]
    [InlineData("http://127.0.0.1:5000/hello")]
    [InlineData("hello--/x")]
    [InlineData("hello@sha256:abc")]
    [InlineData("hello@" + Sha + "@" + Sha)]
    [InlineData("hello@md5")]
    public void TryParse_NoImageReference_IsFalse(string? text)
    {
        Assert.False(ImageReference.TryParse(text, out var reference));
        Assert.Null(reference);
    }

    [Fact]
    public void Parse_NoImageReference_ThrowsFormatExceptionQuotingIt()
    {
        var exception = Assert.Throws<FormatException>(() => ImageReference.Parse("127.0.0.1:5000/Hello"));

        Assert.Contains("'127.0.0.1:5000/Hello'", exception.Message);
    }

    [Fact]
    public void TryParse_TooLong_IsFalse()
    {
        Assert.True(ImageReference.TryParse("r.example/" + new string('a', 200), out _));
        Assert.False(ImageReference.TryParse("r.example/" + new string('a', 250), out _));
        Assert.False(ImageReference.TryParse("hello:" + new string('v', 129), out _));
        Assert.False(ImageReference.TryParse(new string('a', 100_000), out _));
    }

    [Fact]
    public void ForFunction_IsRegistrySlashFunctionColonVersion()
    {
        var reference = ImageReference.ForFunction("127.0.0.1:5000", "hello", 3);

        Assert.Equal("127.0.0.1:5000/hello:v3", reference.ToString());
        Assert.Equal(("127.0.0.1:5000", "hello", "v3"), (reference.Registry, reference.Repository, reference.Tag));
    }

    [Theory]
    [InlineData("registry")]
    [InlineData("http://127.0.0.1:5000")]
    [InlineData("127.0.0.1:5000/path")]
    [InlineData("")]
    public void ForFunction_AddressDockerWouldNotReadAsARegistry_Throws(string registry)
    {
        Assert.Throws<FormatException>(() => ImageReference.ForFunction(registry, "hello", 1));
    }

    [Theory]
    [InlineData("127.0.0.1:5000", true)]
    [InlineData("localhost:5000", true)]
    [InlineData("registry.example.com", true)]
    [InlineData("[::1]:5000", true)]
    [InlineData("registry", false)]
    [InlineData("127.0.0.1:5000/x", false)]
    [InlineData("", false)]
    [InlineData(null, false)]
    public void IsRegistryAddress_IsWhatDockerReadsAsARegistry(string? address, bool expected)
    {
        Assert.Equal(expected, ImageReference.IsRegistryAddress(address));
    }

    [Fact]
    public void Equality_IsByValue()
    {
        Assert.Equal(ImageReference.Parse("127.0.0.1:5000/hello:v1"), ImageReference.ForFunction("127.0.0.1:5000", "hello", 1));
        Assert.NotEqual(ImageReference.Parse("127.0.0.1:5000/hello:v1"), ImageReference.Parse("127.0.0.1:5000/hello:v2"));
    }
}
