namespace Epsilon.Gateway;

public sealed class GatewayOptionsValidatorTests
{
    [Theory]
    [InlineData("")]
    [InlineData("fn.example.com")]
    [InlineData("localhost")]
    [InlineData("a-b.c1.test")]
    public void BaseDomain_EmptyOrADomainName_IsValid(string baseDomain) =>
        Assert.True(new GatewayOptionsValidator().Validate(null, new GatewayOptions { BaseDomain = baseDomain }).Succeeded);

    [Theory]
    [InlineData("https://fn.example.com")]
    [InlineData("fn.example.com:8080")]
    [InlineData("*.fn.example.com")]
    [InlineData("FN.example.com")]
    [InlineData(".fn.example.com")]
    [InlineData("fn..example.com")]
    [InlineData("-fn.example.com")]
    public void BaseDomain_AnythingElse_FailsNamingTheKey(string baseDomain)
    {
        var result = new GatewayOptionsValidator().Validate(null, new GatewayOptions { BaseDomain = baseDomain });

        Assert.True(result.Failed);
        Assert.Contains("Epsilon:Gateway:BaseDomain", result.FailureMessage, StringComparison.Ordinal);
    }
}
