using System.Net;

namespace Epsilon.Builder.Auth;

public sealed class SourceAddressRuleTests
{
    [Theory]
    [InlineData("127.0.0.1", true)]
    [InlineData("127.8.9.10", true)]
    [InlineData("::1", true)]
    [InlineData("::ffff:127.0.0.1", true)]
    [InlineData("10.0.0.1", false)]
    public void Unset_AllowsLoopbackOnly(string address, bool allowed)
    {
        Assert.True(SourceAddressRule.TryParse(null, out var rule, out _));
        Assert.Equal(allowed, rule.Allows(IPAddress.Parse(address)));
    }

    [Fact]
    public void Networks_AllowTheirAddresses_IPv4MappedIncluded_AndNoneAllowsNothing()
    {
        Assert.True(SourceAddressRule.TryParse(["10.1.0.0/16", "192.168.1.7"], out var rule, out _));
        Assert.True(rule.Allows(IPAddress.Parse("10.1.200.3")));
        Assert.True(rule.Allows(IPAddress.Parse("::ffff:192.168.1.7")));
        Assert.False(rule.Allows(IPAddress.Parse("127.0.0.1")));
        Assert.False(rule.Allows(null));

        Assert.True(SourceAddressRule.TryParse(["none"], out var none, out _));
        Assert.False(none.Allows(IPAddress.Loopback));
    }

    [Fact]
    public void BadEntry_IsNamed()
    {
        Assert.False(SourceAddressRule.TryParse(["10.0.0.0/99x"], out _, out var error));
        Assert.Contains("'10.0.0.0/99x'", error, StringComparison.Ordinal);
    }
}
