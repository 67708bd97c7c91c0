namespace Epsilon.Core.Model;

public sealed class AliasNameTests
{
    [Theory]
    [InlineData("beta", true)]
    [InlineData("v2-canary", true)]
    [InlineData("v", true)]
    [InlineData("v7", false)]
    [InlineData("v0", false)]
    [InlineData("v007", false)]
    [InlineData("v99999999999", false)]
    public void IsValid_NeverAVersionsForm(string name, bool valid) => Assert.Equal(valid, AliasName.IsValid(name));
}
