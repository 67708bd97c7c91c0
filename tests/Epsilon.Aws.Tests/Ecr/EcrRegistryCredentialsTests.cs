using Epsilon.Aws.Credentials;
using Epsilon.Aws.Ecr;
using Epsilon.Aws.Tests.Stub;
using Epsilon.Core.Registry;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Epsilon.Aws.Tests.Ecr;

[Collection(AwsStubCollection.Name)]
public sealed class EcrRegistryCredentialsTests(AwsStubFixture fixture)
{
    private readonly AwsStub _stub = fixture.Stub;

    [Fact]
    public async Task With_provider_Ecr_the_login_is_the_registry_credentials_and_is_reused_until_shortly_before_it_expires()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        _stub.EcrExpiresAt = () => clock.GetUtcNow().AddHours(12);
        using var services = Services(clock, new()
        {
            ["Epsilon:Registry:Provider"] = "Ecr",
            ["Epsilon:Registry:Address"] = "123456789012.dkr.ecr.us-east-1.amazonaws.com",
        });
        var credentials = services.GetRequiredService<IRegistryCredentials>();
        Assert.IsType<EcrRegistryCredentials>(credentials);
        var before = _stub.Ecr.Count();

        var first = await credentials.GetAsync();
        var second = await credentials.GetAsync();
        clock.Advance(TimeSpan.FromHours(11));
        var third = await credentials.GetAsync();
        Assert.Equal(1, _stub.Ecr.Count() - before);

        // 30 minutes before expiry (the default margin) a new token is fetched.
        clock.Advance(TimeSpan.FromMinutes(31));
        await credentials.GetAsync();
        Assert.Equal(2, _stub.Ecr.Count() - before);

        Assert.NotNull(first);
        Assert.Equal("AWS", first.Username);
        Assert.Equal(AwsStub.EcrPassword, first.Password);
        Assert.Equal("123456789012.dkr.ecr.us-east-1.amazonaws.com", first.ServerAddress);
        Assert.Equal(first.Password, second!.Password);
        Assert.Equal(first.Password, third!.Password);
        Assert.All(_stub.Ecr.Skip(before), r => Assert.True(r.Signature!.Valid, r.Signature.Reason));
    }

    [Fact]
    public async Task Concurrent_first_calls_share_one_login()
    {
        using var services = Services(TimeProvider.System, new() { ["Epsilon:Registry:Provider"] = "Ecr" });
        var credentials = services.GetRequiredService<IRegistryCredentials>();
        var before = _stub.Ecr.Count();

        await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => credentials.GetAsync().AsTask()));

        Assert.Equal(1, _stub.Ecr.Count() - before);
    }

    [Fact]
    public async Task The_default_provider_is_the_configured_user_and_password()
    {
        using var services = Services(TimeProvider.System, new()
        {
            ["Epsilon:Registry:Address"] = "registry.example:5000",
            ["Epsilon:Registry:Username"] = "u",
            ["Epsilon:Registry:Password"] = "p",
        });
        var before = _stub.Requests.Count;

        var auth = await services.GetRequiredService<IRegistryCredentials>().GetAsync();

        Assert.Equal(("u", "p", "registry.example:5000"), (auth!.Username, auth.Password, auth.ServerAddress));
        Assert.Equal(before, _stub.Requests.Count);
    }

    [Fact]
    public void Provider_Ecr_without_a_region_fails_validation_naming_the_setting()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Epsilon:Registry:Provider"] = "Ecr",
            ["Epsilon:Aws:Region"] = "",
        }).Build();
        using var services = new ServiceCollection().AddSingleton<IConfiguration>(configuration).AddLogging().AddRegistryCredentials().BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<RegistryOptions>>().Value);

        Assert.Contains("Epsilon:Aws:Region", error.Message, StringComparison.Ordinal);
    }

    private ServiceProvider Services(TimeProvider clock, Dictionary<string, string?> settings)
    {
        settings["Epsilon:Aws:Region"] = "us-east-1";
        settings["Epsilon:Aws:EcrEndpoint"] = _stub.BaseAddress.ToString();
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        return new ServiceCollection()
            .AddSingleton<IConfiguration>(configuration)
            .AddLogging()
            .AddSingleton(clock)
            .AddSingleton(new AwsCredentialsProvider(StubClients.Basic()))
            .AddRegistryCredentials()
            .BuildServiceProvider();
    }
}
