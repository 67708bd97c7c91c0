using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Epsilon.Core.Registry;

public sealed class StaticRegistryCredentialsTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("epsilon-registry-credentials-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task The_password_file_is_read_at_each_call_without_its_line_break()
    {
        var file = Path.Combine(_directory, "password");
        await File.WriteAllTextAsync(file, "first\n");
        var credentials = new StaticRegistryCredentials(Options.Create(new RegistryOptions { Address = "registry.example:5443", Username = "epsilon", PasswordFile = file }));

        var auth = await credentials.GetAsync();
        await File.WriteAllTextAsync(file, "rotated\r\n");
        var rotated = await credentials.GetAsync();

        Assert.Equal(("epsilon", "first", "registry.example:5443"), (auth!.Username, auth.Password, auth.ServerAddress));
        Assert.Equal("rotated", rotated!.Password);
    }

    [Fact]
    public async Task A_password_file_gone_after_the_start_fails_the_login_naming_the_file()
    {
        var file = Path.Combine(_directory, "gone");
        var credentials = new StaticRegistryCredentials(Options.Create(new RegistryOptions { Username = "epsilon", PasswordFile = file }));

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => credentials.GetAsync().AsTask());

        Assert.StartsWith($"Epsilon:Registry:PasswordFile '{file}' cannot be read: ", error.Message);
    }

    [Theory]
    [InlineData(null, null, null, null)]
    [InlineData("epsilon", "secret", null, null)]
    [InlineData("epsilon", null, "FILE", null)]
    [InlineData("epsilon", "secret", "FILE", "Set one of Epsilon:Registry:Password and Epsilon:Registry:PasswordFile, not both.")]
    [InlineData(null, "secret", null, "Epsilon:Registry:Password or PasswordFile is set without Epsilon:Registry:Username.")]
    [InlineData("epsilon", null, null, "Epsilon:Registry:Username is set without Epsilon:Registry:Password or PasswordFile.")]
    [InlineData("epsilon", null, "MISSING", "Epsilon:Registry:PasswordFile 'MISSING' cannot be read: ")]
    public void Static_credentials_are_checked_at_start_whole_or_not_at_all(string? username, string? password, string? passwordFile, string? error)
    {
        var file = Path.Combine(_directory, "password");
        File.WriteAllText(file, "secret\n");
        var missing = Path.Combine(_directory, "missing");
        var options = new RegistryOptions
        {
            Username = username,
            Password = password,
            PasswordFile = passwordFile?.Replace("MISSING", missing, StringComparison.Ordinal).Replace("FILE", file, StringComparison.Ordinal),
        };

        var result = new RegistryOptionsValidator().Validate(null, options);

        if (error is null)
        {
            Assert.True(result.Succeeded, result.FailureMessage);
        }
        else
        {
            Assert.StartsWith(error.Replace("MISSING", missing, StringComparison.Ordinal), result.FailureMessage);
            Assert.DoesNotContain("secret", result.FailureMessage, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void The_validator_runs_at_start_with_the_options()
    {
        using var provider = new ServiceCollection()
            .AddSingleton<Microsoft.Extensions.Configuration.IConfiguration>(new Microsoft.Extensions.Configuration.ConfigurationBuilder().Build())
            .AddRegistryOptions()
            .Configure<RegistryOptions>(o => o.Username = "epsilon").BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<RegistryOptions>>().Value);

        Assert.Contains("Epsilon:Registry:Username is set without Epsilon:Registry:Password or PasswordFile.", error.Message);
    }

    [Theory]
    [InlineData("Get \"https://r.example:5443/v2/\": x509: certificate signed by unknown authority",
        "Get \"https://r.example:5443/v2/\": x509: certificate signed by unknown authority (this host's Docker engine does not trust the registry's certificate: put the CA that signed it in /etc/docker/certs.d/r.example:5443/ca.crt)")]
    [InlineData("no basic auth credentials",
        "no basic auth credentials (the registry r.example:5443 refused the credentials: set Epsilon:Registry:Username with Password or PasswordFile)")]
    [InlineData("unauthorized: authentication required",
        "unauthorized: authentication required (the registry r.example:5443 refused the credentials: set Epsilon:Registry:Username with Password or PasswordFile)")]
    [InlineData("manifest unknown", "manifest unknown")]
    public void Explain_names_the_fix_of_the_refusals_it_knows(string daemonMessage, string expected) =>
        Assert.Equal(expected, RegistryErrors.Explain(daemonMessage, "r.example:5443"));
}
