namespace Epsilon.Builder.Git;

public sealed class RepositorySourceTests
{
    [Fact]
    public void TryParse_OwnerSlashRepo_IsGitHubHttpsUrl()
    {
        Assert.True(RepositorySource.TryParse("acme/shop", out var source, out var error));

        Assert.Null(error);
        Assert.Equal("https://github.com/acme/shop.git", source!.CloneUrl);
        Assert.Equal("https://github.com/acme/shop", source.DisplayUrl);
    }

    [Fact]
    public void TryParse_SurroundingWhitespace_IsTrimmed()
    {
        Assert.True(RepositorySource.TryParse("  acme/shop\n", out var source, out _));

        Assert.Equal("https://github.com/acme/shop.git", source!.CloneUrl);
    }

    [Fact]
    public void TryParse_HttpsUrl_KeepsIt()
    {
        Assert.True(RepositorySource.TryParse("https://git.example.test/team/repo.git", out var source, out _));

        Assert.Equal("https://git.example.test/team/repo.git", source!.CloneUrl);
        Assert.Equal("https://git.example.test/team/repo.git", source.DisplayUrl);
    }

    [Fact]
    public void TryParse_HttpsUrlWithCredentials_KeepsThemForCloningOnly()
    {
        Assert.True(RepositorySource.TryParse("https://bot:s3cret-token@github.com/acme/private.git", out var source, out _));

        Assert.Equal("https://bot:s3cret-token@github.com/acme/private.git", source!.CloneUrl);
        Assert.Equal("https://github.com/acme/private.git", source.DisplayUrl);
        Assert.DoesNotContain("s3cret", source.DisplayUrl);
        Assert.DoesNotContain("bot", source.DisplayUrl);
    }

    [Fact]
    public void TryParse_FileUrl_ClonesFromItAndDisplaysThePath()
    {
        Assert.True(RepositorySource.TryParse("file:///tmp/x", out var source, out _));

        Assert.Equal("file:///tmp/x", source!.CloneUrl);
        Assert.Equal("/tmp/x", source.DisplayUrl);
    }

    [Theory]
    [InlineData("/tmp/x", "file:///tmp/x", "/tmp/x")]
    [InlineData("/tmp/a/../x", "file:///tmp/x", "/tmp/x")]
    public void TryParse_AbsolutePath_BecomesFileUrl(string input, string cloneUrl, string displayUrl)
    {
        Assert.True(RepositorySource.TryParse(input, out var source, out _));

        Assert.Equal(cloneUrl, source!.CloneUrl);
        Assert.Equal(displayUrl, source.DisplayUrl);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("ftp://x")]
    [InlineData("ftp://example.test/repo.git")]
    [InlineData("http://x")]
    [InlineData("http://github.com/acme/shop.git")]
    [InlineData("git@github.com:a/b")]
    [InlineData("ssh://git@github.com/a/b.git")]
    [InlineData("git://github.com/a/b.git")]
    [InlineData("ext::sh -c touch /tmp/pwned")]
    [InlineData("ext::sh -c touch% /tmp/pwned")]
    [InlineData("fd::17")]
    [InlineData("file://remote-host/x")]
    [InlineData("relative/path/to/repo")]
    [InlineData("./repo")]
    [InlineData("-uhelp")]
    [InlineData("--upload-pack=touch /tmp/pwned")]
    [InlineData("acme/shop\u0000")]
    [InlineData("acme/sh\nop")]
    [InlineData("https://github.com/acme/\u0007shop.git")]
    [InlineData("/tmp/\u001bx")]
    public void TryParse_UnsupportedOrUnsafeInput_ReturnsFalseWithError(string? input)
    {
        Assert.False(RepositorySource.TryParse(input, out var source, out var error));

        Assert.Null(source);
        Assert.False(string.IsNullOrWhiteSpace(error));
    }

    [Fact]
    public void TryParse_VeryLongInput_IsRejected()
    {
        Assert.False(RepositorySource.TryParse("https://github.com/" + new string('a', 3000), out _, out var error));

        Assert.False(string.IsNullOrWhiteSpace(error));
    }

    [Theory]
    [InlineData("https://169.254.169.254/latest/meta-data/")]
    [InlineData("https://2852039166/latest/meta-data/")]
    [InlineData("https://[::ffff:169.254.169.254]/x.git")]
    [InlineData("https://[fe80::1]/acme/shop.git")]
    public void TryParse_LinkLocalAddress_IsRefused(string input)
    {
        Assert.False(RepositorySource.TryParse(input, out _, out var error));

        Assert.Contains("link-local", error);
    }

    [Fact]
    public void TryParse_InternationalHost_IsClonedAndShownAsPunycode()
    {
        Assert.True(RepositorySource.TryParse("https://bot:tok@g\u0456thub.com/acme/shop.git", out var source, out _));

        Assert.StartsWith("https://bot:tok@xn--", source!.CloneUrl);
        Assert.StartsWith("https://xn--", source.DisplayUrl);
    }

    [Fact]
    public void TryParse_UnparsableUrlWithCredentials_DoesNotQuoteThem()
    {
        Assert.False(RepositorySource.TryParse("https://bot:hunter2 x@exa mple.com/x", out _, out var error));

        Assert.DoesNotContain("hunter2", error);
    }
}
