using System.Net;
using Docker.DotNet;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Epsilon.Core.Docker;

public sealed class DockerClientConfigurationTests
{
    [Theory]
    [InlineData("unix:///var/run/docker.sock", true)]
    [InlineData("unix:///run/user/1000/docker.sock", true)]
    [InlineData("tcp://127.0.0.1:2375", true)]
    [InlineData("tcp://docker-host:2375/", true)]
    [InlineData("tcp://[::1]:2375", true)]
    [InlineData("unix://", false)]
    [InlineData("tcp://docker-host", false)]
    [InlineData("tcp://docker-host:2375/path", false)]
    [InlineData("http://127.0.0.1:2375", false)]
    [InlineData("/var/run/docker.sock", false)]
    [InlineData("", false)]
    public void The_endpoint_must_be_unix_or_tcp_host_port(string endpoint, bool valid)
    {
        var result = new DockerClientOptionsValidator().Validate(null, new DockerClientOptions { Endpoint = endpoint });

        Assert.Equal(valid, result.Succeeded);
    }

    [Theory]
    [InlineData("1.41", "00:01:40", true)]
    [InlineData("1.x", "00:01:40", false)]
    [InlineData("", "00:01:40", false)]
    [InlineData("1.41", "00:00:00", false)]
    public void The_version_must_parse_and_the_timeout_be_positive(string apiVersion, string requestTimeout, bool valid)
    {
        var options = new DockerClientOptions { ApiVersion = apiVersion, RequestTimeout = TimeSpan.Parse(requestTimeout, System.Globalization.CultureInfo.InvariantCulture) };

        Assert.Equal(valid, new DockerClientOptionsValidator().Validate(null, options).Succeeded);
    }

    [Fact]
    public void AddDockerClient_binds_the_section_and_registers_one_client_built_from_it()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Epsilon:Docker:Endpoint"] = "tcp://127.0.0.1:2375",
                ["Epsilon:Docker:RequestTimeout"] = "00:00:05",
            })
            .Build();
        using var provider = new ServiceCollection()
            .AddSingleton<IConfiguration>(configuration)
            .AddDockerClient()
            .AddDockerClient()
            .BuildServiceProvider();

        var options = provider.GetRequiredService<IOptions<DockerClientOptions>>().Value;
        var client = Assert.IsType<DockerClient>(provider.GetRequiredService<IDockerClient>());

        Assert.Equal("tcp://127.0.0.1:2375", options.Endpoint);
        Assert.Same(client, provider.GetRequiredService<IDockerClient>());
        Assert.Single(provider.GetServices<IValidateOptions<DockerClientOptions>>());
        Assert.Equal(new Version(1, 41), client.Options.ApiVersion);
        Assert.Equal(new Uri("tcp://127.0.0.1:2375"), client.Options.Endpoint);
        Assert.Equal(TimeSpan.FromSeconds(5), client.Options.Timeout);
    }

    [Fact]
    public void An_invalid_endpoint_fails_validation()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Epsilon:Docker:Endpoint"] = "http://127.0.0.1:2375" })
            .Build();
        using var provider = new ServiceCollection().AddSingleton<IConfiguration>(configuration).AddDockerClient().BuildServiceProvider();

        var exception = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IDockerClient>());

        Assert.Contains("must start with unix:// or tcp://", exception.Message, StringComparison.Ordinal);
        Assert.Throws<OptionsValidationException>(() => DockerClientFactory.Create(new DockerClientOptions { Endpoint = "tcp://nohost" }));
    }

    [Theory]
    [InlineData("{\"message\":\"No such container: abc\"}\n", "No such container: abc")]
    [InlineData("bad gateway\n", "bad gateway")]
    [InlineData("", "status 502 (BadGateway) without a message")]
    [InlineData("[1]", "[1]")]
    public void The_daemons_message_is_taken_out_of_the_answer(string body, string expected)
    {
        Assert.Equal(expected, new DockerApiException(HttpStatusCode.BadGateway, body).GetDaemonMessage());
    }
}
