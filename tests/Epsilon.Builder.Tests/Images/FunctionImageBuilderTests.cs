using System.Net;
using Docker.DotNet;
using Docker.DotNet.Models;
using Epsilon.Builder.Deployments;
using Epsilon.Builder.Runtimes;
using Epsilon.Core.Manifest;
using Epsilon.Core.Model;
using Epsilon.Core.Registry;
using Epsilon.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Epsilon.Builder.Images;

/// <summary>How the builder reports what the daemon says in a build's and a push's streams, over a client without a daemon.</summary>
public sealed class FunctionImageBuilderTests : IDisposable
{
    private const string Image = "127.0.0.1:5000/hello:v1";

    private readonly string _repository = TempDirectory.Create("epsilon-image-builder");
    private readonly FakeDockerClient _docker = FakeDockerClient.Create();
    private readonly DeploymentLog _log = new();

    public FunctionImageBuilderTests() => File.WriteAllText(Path.Combine(_repository, "index.js"), "module.exports.hello = (req, res) => res.send('hi');");

    public void Dispose() => TempDirectory.Delete(_repository);

    [Fact]
    public async Task BuildAndPushAsync_BuildsWithTheTagAndPushesIt_WritingBothStreamsToTheLog()
    {
        ImageBuildParameters? build = null;
        (string Name, ImagePushParameters Parameters)? push = null;
        _docker.Answer = (name, arguments) =>
        {
            switch (name)
            {
                case "BuildImageFromDockerfileAsync":
                    build = (ImageBuildParameters)arguments[0]!;
                    return Report(arguments[4], new() { Stream = "Step 1/2 : FROM epsilon/runtime-node\n" }, new() { Stream = "Successfully built 4f2a\n" });
                case "PushImageAsync":
                    push = ((string)arguments[0]!, (ImagePushParameters)arguments[1]!);
                    return Report(arguments[3], new() { Status = "The push refers to repository [127.0.0.1:5000/hello]" },
                        new() { Status = "Pushing", ID = "4f2a", Progress = new JSONProgress { Current = 1, Total = 2 } });
                default:
                    throw new NotSupportedException(name);
            }
        };

        await Builder().BuildAndPushAsync(Function(), Version(), _repository, _log);

        Assert.Equal([Image], build!.Tags);
        Assert.True(build.Remove);
        Assert.True(build.ForceRemove);
        Assert.Equal("127.0.0.1:5000/hello", push!.Value.Name);
        Assert.Equal("v1", push.Value.Parameters.Tag);
        var log = _log.ToString();
        Assert.Contains("Successfully built 4f2a", log);
        Assert.Contains("The push refers to repository [127.0.0.1:5000/hello]", log);
        Assert.DoesNotContain("Pushing", log);
        Assert.EndsWith($"pushed {Image}\n", log);
    }

    [Fact]
    public async Task The_push_carries_the_registry_credentials_and_a_failed_login_fails_the_deploy_naming_it()
    {
        AuthConfig? pushedWith = null;
        _docker.Answer = (name, arguments) =>
        {
            if (name == "PushImageAsync")
            {
                pushedWith = (AuthConfig?)arguments[2];
            }

            return Report(arguments[name == "PushImageAsync" ? 3 : 4], new JSONMessage { Stream = "Successfully built 4f2a\n" });
        };
        var login = new AuthConfig { Username = "AWS", Password = "token", ServerAddress = "123456789012.dkr.ecr.us-east-1.amazonaws.com" };

        await Builder(new Credentials(() => login)).BuildAndPushAsync(Function(), Version(), _repository, _log);
        Assert.Same(login, pushedWith);

        var exception = await Assert.ThrowsAsync<FunctionBuildException>(() => Builder(new Credentials(() => throw new InvalidOperationException("ECR said no")))
            .BuildAndPushAsync(Function(), Version(), _repository, new DeploymentLog()));
        Assert.Equal($"function 'hello': pushing {Image} failed: the registry login failed: ECR said no", exception.Message);
    }

    [Fact]
    public async Task A_failing_step_fails_the_build_with_the_daemons_error()
    {
        _docker.Answer = (_, arguments) => Report(arguments[4],
            new() { Stream = "Step 5/9 : RUN npm ci\n" },
            new() { Error = new JSONError { Code = 1, Message = "The command '/bin/sh -c npm ci' returned a non-zero code: 1" } });

        var exception = await Assert.ThrowsAsync<FunctionBuildException>(() => Builder().BuildAndPushAsync(Function(), Version(), _repository, _log));

        Assert.Equal("function 'hello': image build failed: The command '/bin/sh -c npm ci' returned a non-zero code: 1", exception.Message);
        Assert.Contains("error: The command '/bin/sh -c npm ci' returned a non-zero code: 1", _log.ToString());
        Assert.Equal(["BuildImageFromDockerfileAsync"], _docker.Calls);
    }

    [Fact]
    public async Task A_failing_load_check_fails_the_build_with_its_own_line()
    {
        _docker.Answer = (_, arguments) => Report(arguments[4],
            new() { Stream = "\u001b[91mepsilon: function 'hello': index.js has no export 'hello'\n\u001b[0m" },
            new() { Error = new JSONError { Code = 1, Message = "The command 'node /opt/epsilon/runtime/check.js' returned a non-zero code: 1" } });

        var exception = await Assert.ThrowsAsync<FunctionBuildException>(() => Builder().BuildAndPushAsync(Function(), Version(), _repository, _log));

        Assert.Equal("function 'hello': index.js has no export 'hello'", exception.Message);
    }

    [Fact]
    public async Task A_build_the_daemon_refuses_is_a_failed_build()
    {
        _docker.Answer = (_, _) => Task.FromException(
            new DockerApiException(HttpStatusCode.InternalServerError, "{\"message\":\"Cannot locate specified Dockerfile: Dockerfile\"}"));

        var exception = await Assert.ThrowsAsync<FunctionBuildException>(() => Builder().BuildAndPushAsync(Function(), Version(), _repository, _log));

        Assert.Equal("function 'hello': image build failed: Cannot locate specified Dockerfile: Dockerfile", exception.Message);
    }

    [Fact]
    public async Task A_build_that_ends_without_an_image_is_a_failed_build()
    {
        _docker.Answer = (_, arguments) => Report(arguments[4], new JSONMessage { Stream = "Step 1/2 : FROM epsilon/runtime-node\n" });

        var exception = await Assert.ThrowsAsync<FunctionBuildException>(() => Builder().BuildAndPushAsync(Function(), Version(), _repository, _log));

        Assert.Equal("function 'hello': image build failed: the build ended without reporting an image", exception.Message);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_failed_push_names_the_image_and_the_daemons_error(bool inTheStream)
    {
        _docker.Answer = (name, arguments) => name switch
        {
            "BuildImageFromDockerfileAsync" => Report(arguments[4], new JSONMessage { Aux = new ObjectExtensionData { ExtensionData = new Dictionary<string, object> { ["ID"] = "sha256:4f2a" } } }),
            _ when inTheStream => Report(arguments[3], new JSONMessage { Error = new JSONError { Message = "Get \"http://127.0.0.1:5000/v2/\": connection refused" } }),
            _ => Task.FromException(new DockerImageNotFoundException(HttpStatusCode.NotFound, "{\"message\":\"No such image: 127.0.0.1:5000/hello:v1\"}")),
        };

        var exception = await Assert.ThrowsAsync<FunctionBuildException>(() => Builder().BuildAndPushAsync(Function(), Version(), _repository, _log));

        Assert.Equal(
            inTheStream
                ? $"function 'hello': pushing {Image} failed: Get \"http://127.0.0.1:5000/v2/\": connection refused"
                : $"function 'hello': pushing {Image} failed: No such image: 127.0.0.1:5000/hello:v1",
            exception.Message);
    }

    [Fact]
    public async Task The_build_runs_with_the_configured_memory_and_cpu()
    {
        ImageBuildParameters? build = null;
        _docker.Answer = (name, arguments) =>
        {
            build ??= (ImageBuildParameters)arguments[0]!;
            return Report(arguments[name == "PushImageAsync" ? 3 : 4], new JSONMessage { Stream = "Successfully built 4f2a\n" });
        };

        await Builder(settings: new BuilderOptions { ExtraCaBundle = null, BuildMemoryBytes = 512L * 1024 * 1024, BuildCpus = 1.5 })
            .BuildAndPushAsync(Function(), Version(), _repository, _log);

        Assert.Equal((512L * 1024 * 1024, 512L * 1024 * 1024), (build!.Memory, build.MemorySwap));
        Assert.Equal((100_000L, 150_000L), (build.CPUPeriod, build.CPUQuota));
    }

    [Fact]
    public async Task A_build_past_its_time_limit_is_cancelled_and_fails_naming_the_limit()
    {
        var clock = new FakeTimeProvider();
        var cancelled = new TaskCompletionSource();
        _docker.Answer = (_, arguments) =>
        {
            var token = (CancellationToken)arguments[5]!;
            token.Register(cancelled.SetResult);
            return Task.Delay(Timeout.Infinite, token);
        };

        var build = Builder(settings: new BuilderOptions { ExtraCaBundle = null, BuildImageTimeout = TimeSpan.FromMinutes(10) }, clock: clock)
            .BuildAndPushAsync(Function(), Version(), _repository, _log);
        while (_docker.Calls.IsEmpty)
        {
            await Task.Delay(10);
        }

        clock.Advance(TimeSpan.FromMinutes(10));
        var exception = await Assert.ThrowsAsync<FunctionBuildException>(() => build);

        Assert.True(cancelled.Task.IsCompleted);
        Assert.Equal("function 'hello': the image build took longer than 10 min, the most a build may (Epsilon:Builder:BuildImageTimeout); it was cancelled",
            exception.Message);
        Assert.Contains("error: the build took longer than 10 min; cancelled", _log.ToString());
    }

    [Fact]
    public async Task A_step_killed_for_memory_fails_naming_the_memory_limit()
    {
        _docker.Answer = (_, arguments) => Report(arguments[4],
            new JSONMessage { Error = new JSONError { Code = 137, Message = "The command 'node /opt/epsilon/runtime/check.js' returned a non-zero code: 137" } });

        var exception = await Assert.ThrowsAsync<FunctionBuildException>(() => Builder().BuildAndPushAsync(Function(), Version(), _repository, _log));

        Assert.Equal("function 'hello': image build failed: a build step was killed, most likely for using more than the build's 2048 MiB of memory "
            + "(Epsilon:Builder:BuildMemoryBytes): The command 'node /opt/epsilon/runtime/check.js' returned a non-zero code: 137", exception.Message);
    }

    /// <summary>What Docker.DotNet does with a stream: each message to the progress, in order, then the task completes.</summary>
    private static Task Report(object? progress, params JSONMessage[] messages)
    {
        foreach (var message in messages)
        {
            ((IProgress<JSONMessage>)progress!).Report(message);
        }

        return Task.CompletedTask;
    }

    private FunctionImageBuilder Builder(IRegistryCredentials? credentials = null, BuilderOptions? settings = null, TimeProvider? clock = null)
    {
        var options = Options.Create(settings ?? new BuilderOptions { ExtraCaBundle = null });
        return new FunctionImageBuilder(_docker.Client, new RuntimeCatalog(options), credentials ?? new StaticRegistryCredentials(Options.Create(new RegistryOptions())),
            options, clock ?? TimeProvider.System, NullLogger<FunctionImageBuilder>.Instance);
    }

    /// <summary>Registry credentials from a function: a token, or a failed login.</summary>
    private sealed class Credentials(Func<AuthConfig?> get) : IRegistryCredentials
    {
        public ValueTask<AuthConfig?> GetAsync(CancellationToken cancellationToken = default) => ValueTask.FromResult(get());
    }

    private static ManifestFunction Function() =>
        new("hello", new FunctionConfig { Runtime = "node", HandlerFile = "index.js", HandlerExport = "hello" });

    private static FunctionVersion Version() => new()
    {
        Function = "hello",
        Version = 1,
        Image = Image,
        Status = VersionStatus.Building,
        DeploymentId = "d-0123456789abcdef",
        Config = Function().Config,
        CreatedAt = new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero),
    };
}
