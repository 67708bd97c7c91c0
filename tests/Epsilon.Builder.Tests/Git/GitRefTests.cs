namespace Epsilon.Builder.Git;

public sealed class GitRefTests
{
    [Theory]
    [InlineData("main")]
    [InlineData("release/2.1")]
    [InlineData("v1.0.0")]
    [InlineData("refs/heads/main")]
    [InlineData("0123456789abcdef0123456789abcdef01234567")]
    [InlineData("feature_x-y")]
    public void IsValid_BranchTagOrCommit_IsTrue(string gitRef) => Assert.True(GitRef.IsValid(gitRef));

    [Theory]
    [InlineData("")]
    [InlineData("--upload-pack=touch")]
    [InlineData("-x")]
    [InlineData("../../")]
    [InlineData("a..b")]
    [InlineData("refs/heads/")]
    [InlineData("/main")]
    [InlineData("a//b")]
    [InlineData("main.")]
    [InlineData("main.lock")]
    [InlineData(".hidden")]
    [InlineData("refs/.hidden/x")]
    [InlineData("main:refs/heads/stolen")]
    [InlineData("HEAD@{1}")]
    [InlineData("@")]
    [InlineData("a b")]
    [InlineData("a\nb")]
    [InlineData("a~1")]
    [InlineData("a^")]
    [InlineData("a?")]
    [InlineData("a*")]
    [InlineData("a[b")]
    [InlineData("a\\b")]
    public void IsValid_NotARef_IsFalse(string gitRef) => Assert.False(GitRef.IsValid(gitRef));

    [Fact]
    public void IsValid_LongerThan255_IsFalse() => Assert.False(GitRef.IsValid(new string('r', 256)));
}
