namespace Epsilon.Core.Registry;

public sealed class RegistryOptionsTests
{
    [Fact]
    public void ToAuthConfig_is_null_for_an_open_registry_and_the_credentials_with_the_address_otherwise()
    {
        Assert.Null(new RegistryOptions().ToAuthConfig());

        var auth = new RegistryOptions { Address = "registry.example:5000", Username = "u", Password = "p" }.ToAuthConfig();

        Assert.NotNull(auth);
        Assert.Equal("u", auth.Username);
        Assert.Equal("p", auth.Password);
        Assert.Equal("registry.example:5000", auth.ServerAddress);
    }
}
