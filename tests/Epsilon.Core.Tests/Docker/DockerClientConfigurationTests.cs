using System.Net;
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

    [Fact]
    public void AddDockerClient_binds_the_section_and_registers_one_client()
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
        Assert.Equal("tcp://127.0.0.1:2375", options.Endpoint);
        Assert.Equal("1.41", options.ApiVersion);
        Assert.Equal(TimeSpan.FromSeconds(5), options.RequestTimeout);
        Assert.Same(provider.GetRequiredService<IDockerClient>(), provider.GetRequiredService<IDockerClient>());
        Assert.Single(provider.GetServices<IValidateOptions<DockerClientOptions>>());
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

    [Fact]
    public void The_daemons_message_is_in_the_exception_message()
    {
        var exception = new DockerContainerNotFoundException(HttpStatusCode.NotFound, "{\"message\":\"No such container: abc\"}");
        var streamError = new DockerApiException(HttpStatusCode.OK, "{\"errorDetail\":{\"message\":\"denied\"},\"error\":\"denied\"}");
        var plain = new DockerApiException(HttpStatusCode.BadGateway, "bad gateway\n");

        Assert.Equal("Docker API responded with status code 404 (NotFound): No such container: abc", exception.Message);
        Assert.Equal("Docker reported an error: denied", streamError.Message);
        Assert.EndsWith(": bad gateway", plain.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Registry_credentials_are_base64url_json_and_an_empty_object_without_credentials()
    {
        Assert.Equal("e30=", ImageOperations.EncodeAuth(null));

        var encoded = ImageOperations.EncodeAuth(new AuthConfig { Username = "u", Password = "p>?", ServerAddress = "127.0.0.1:5000" });
        var json = System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(encoded.Replace('-', '+').Replace('_', '/')));

        Assert.Equal("{\"username\":\"u\",\"password\":\"p\\u003E?\",\"serveraddress\":\"127.0.0.1:5000\"}", json);
        Assert.DoesNotContain('+', encoded);
        Assert.DoesNotContain('/', encoded);
    }

    [Fact]
    public void Instants_are_sent_as_unix_seconds_with_nanoseconds()
    {
        var query = new QueryStringBuilder()
            .Add("since", DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_123).AddTicks(4))
            .Add("all", true)
            .Add("tail", (string?)null)
            .Add("filters", "{\"label\":[\"a=b\"]}");

        Assert.Equal("since=1700000000.123000400&all=true&filters=%7B%22label%22%3A%5B%22a%3Db%22%5D%7D", query.ToString());
    }
}
