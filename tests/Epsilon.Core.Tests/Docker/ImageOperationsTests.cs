using System.Net;

namespace Epsilon.Core.Docker;

[Collection(DockerCollection.Name)]
public sealed class ImageOperationsTests(DockerFixture fixture)
{
    private IImageOperations Images => fixture.Client.Images;

    [Fact]
    public async Task Build_from_a_tar_context_reports_progress_and_returns_the_image_id()
    {
        var tag = $"epsilon-test-build-{Guid.NewGuid():N}:v1";
        using var context = TarContext.Create(
            ("Dockerfile", $"FROM {DockerFixture.BaseImage}\nARG GREETING\nCOPY hello.txt /hello.txt\nRUN echo \"$GREETING from RUN\" > /greeting.txt && cat /greeting.txt\n"),
            ("hello.txt", "hello\n"));
        var progress = new CollectingProgress<JsonMessage>();

        var id = await Images.BuildImageAsync(
            context,
            new ImageBuildParameters
            {
                Tags = [tag],
                BuildArgs = new Dictionary<string, string> { ["GREETING"] = $"hi-{fixture.RunId}" },
                Labels = fixture.NewLabels(),
            },
            progress);

        Assert.StartsWith("sha256:", id, StringComparison.Ordinal);
        Assert.Contains(progress.Items, message => message.Stream?.StartsWith("Step 1/", StringComparison.Ordinal) == true);
        Assert.Contains(progress.Items, message => message.Stream?.Contains($"hi-{fixture.RunId} from RUN", StringComparison.Ordinal) == true);
        Assert.True(context.CanRead, "the caller's context stream stays open");

        var image = await Images.InspectImageAsync(tag);
        Assert.Equal(id, image.ID);
        Assert.Contains(tag, image.RepoTags!);
        Assert.True(image.Size > 0);
        Assert.NotNull(image.Created);
    }

    [Fact]
    public async Task A_build_whose_RUN_fails_throws_DockerBuildException_with_the_daemons_message()
    {
        using var context = TarContext.Create(("Dockerfile", $"FROM {DockerFixture.BaseImage}\nRUN echo about to fail-{fixture.RunId} && exit 7\n"));
        var progress = new CollectingProgress<JsonMessage>();

        var exception = await Assert.ThrowsAsync<DockerBuildException>(() => Images.BuildImageAsync(
            context,
            new ImageBuildParameters { Tags = [$"epsilon-test-fail-{Guid.NewGuid():N}:v1"], Labels = fixture.NewLabels(), NoCache = true },
            progress));

        Assert.Contains("returned a non-zero code: 7", exception.Message, StringComparison.Ordinal);
        Assert.Contains($"about to fail-{fixture.RunId}", exception.BuildLog, StringComparison.Ordinal);
        Assert.Equal(7, progress.Items[^1].ErrorDetail?.Code);
    }

    [Fact]
    public async Task A_Dockerfile_the_daemon_refuses_throws_DockerBuildException_with_the_status_inside()
    {
        using var context = TarContext.Create(("Dockerfile", $"FROM {DockerFixture.BaseImage}\nBOGUS instruction\n"));

        var exception = await Assert.ThrowsAsync<DockerBuildException>(
            () => Images.BuildImageAsync(context, new ImageBuildParameters { Labels = fixture.NewLabels() }));

        Assert.Contains("unknown instruction: BOGUS", exception.Message, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, Assert.IsType<DockerApiException>(exception.InnerException).StatusCode);
    }

    [Fact]
    public async Task Tag_push_delete_and_pull_back_from_the_registry()
    {
        var id = await BuildScratchImageAsync();
        var repository = $"{DockerFixture.Registry}/epsilon-test-{Guid.NewGuid():N}";
        await Images.TagImageAsync(id, repository, "v1");
        fixture.TrackRegistryRepository(repository, "v1");

        var pushed = new CollectingProgress<JsonMessage>();
        await Images.PushImageAsync(repository, "v1", progress: pushed);
        Assert.Contains(pushed.Items, message => message.Aux is { } aux && aux.TryGetProperty("Digest", out _));

        await Images.DeleteImageAsync($"{repository}:v1");
        await Images.DeleteImageAsync(id, force: true);
        await Assert.ThrowsAsync<DockerImageNotFoundException>(() => Images.InspectImageAsync($"{repository}:v1"));

        var pulled = new CollectingProgress<JsonMessage>();
        await Images.CreateImageAsync(repository, "v1", new AuthConfig { ServerAddress = DockerFixture.Registry }, pulled);
        Assert.Contains(pulled.Items, message => message.Status?.StartsWith("Status: Downloaded newer image", StringComparison.Ordinal) == true);

        var image = await Images.InspectImageAsync($"{repository}:v1");
        Assert.Equal(id, image.ID);
        Assert.Contains($"{repository}:v1", image.RepoTags!);
        Assert.Contains(image.RepoDigests!, digest => digest.StartsWith($"{repository}@sha256:", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Pull_of_a_missing_tag_throws_DockerImageNotFoundException()
    {
        var exception = await Assert.ThrowsAsync<DockerImageNotFoundException>(
            () => Images.CreateImageAsync($"{DockerFixture.Registry}/epsilon-test-{Guid.NewGuid():N}", "missing"));

        Assert.Contains("manifest unknown", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_push_error_in_the_stream_throws_DockerApiException()
    {
        var id = await BuildScratchImageAsync();

        // Nothing listens on that port: the daemon reports the failure inside the 200 stream.
        var repository = $"127.0.0.1:5999/epsilon-test-{Guid.NewGuid():N}";
        await Images.TagImageAsync(id, repository, "v1");
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));

        var exception = await Assert.ThrowsAsync<DockerApiException>(() => Images.PushImageAsync(repository, "v1", cancellationToken: timeout.Token));

        Assert.Equal(HttpStatusCode.OK, exception.StatusCode);
        Assert.Contains("connection refused", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Inspect_and_delete_of_a_missing_image_throw_DockerImageNotFoundException()
    {
        await Assert.ThrowsAsync<DockerImageNotFoundException>(() => Images.InspectImageAsync("epsilon-test/missing:never"));
        await Assert.ThrowsAsync<DockerImageNotFoundException>(() => Images.DeleteImageAsync("epsilon-test/missing:never"));
        await Assert.ThrowsAsync<DockerImageNotFoundException>(() => Images.TagImageAsync("epsilon-test/missing:never", "epsilon-test/other", "v1"));
    }

    /// <summary>A one-file image from scratch: pushing it moves a few bytes, not the base image.</summary>
    private async Task<string> BuildScratchImageAsync()
    {
        using var context = TarContext.Create(("Dockerfile", "FROM scratch\nCOPY hello.txt /\n"), ("hello.txt", $"hello {Guid.NewGuid()}\n"));
        return await Images.BuildImageAsync(
            context,
            new ImageBuildParameters { Tags = [$"epsilon-test-scratch-{Guid.NewGuid():N}:v1"], Labels = fixture.NewLabels() });
    }
}
