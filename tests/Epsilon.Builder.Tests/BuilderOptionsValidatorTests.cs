namespace Epsilon.Builder;

/// <summary>The limits on hostile repositories are checked at start, each failure naming its key.</summary>
public sealed class BuilderOptionsValidatorTests
{
    [Fact]
    public void The_defaults_are_valid()
    {
        var result = new BuilderOptionsValidator().Validate(null, new BuilderOptions());

        Assert.True(result.Succeeded, result.FailureMessage);
    }

    [Theory]
    [InlineData(nameof(BuilderOptions.BuildMemoryBytes), "Epsilon:Builder:BuildMemoryBytes must be at least 64 MiB")]
    [InlineData(nameof(BuilderOptions.BuildCpus), "Epsilon:Builder:BuildCpus must be a number of cores")]
    [InlineData(nameof(BuilderOptions.BuildImageTimeout), "Epsilon:Builder:BuildImageTimeout must be positive")]
    [InlineData(nameof(BuilderOptions.MaxQueuedDeployments), "Epsilon:Builder:MaxQueuedDeployments must be 0 or more")]
    [InlineData(nameof(BuilderOptions.BuildLogTailCharacters), "Epsilon:Builder:BuildLogHeadCharacters and BuildLogTailCharacters must be positive")]
    [InlineData(nameof(BuilderOptions.ManifestMaxDepth), "Epsilon:Builder:ManifestMaxBytes, ManifestMaxDepth, ManifestMaxNodes and ManifestParseTimeout must be positive")]
    [InlineData(nameof(BuilderOptions.ManifestParseTimeout), "Epsilon:Builder:ManifestMaxBytes, ManifestMaxDepth, ManifestMaxNodes and ManifestParseTimeout must be positive")]
    [InlineData(nameof(BuilderOptions.KeepVersions), "Epsilon:Builder:KeepVersions must be 0 to 1000 versions")]
    [InlineData(nameof(BuilderOptions.DeploymentLogRetention), "Epsilon:Builder:DeploymentLogRetention '00:00:00' must be positive")]
    public void A_limit_out_of_range_fails_naming_its_key(string option, string failure)
    {
        var options = new BuilderOptions();
        var property = typeof(BuilderOptions).GetProperty(option)!;
        property.SetValue(options, property.PropertyType == typeof(TimeSpan) ? TimeSpan.Zero : Convert.ChangeType(-1, property.PropertyType));

        var result = new BuilderOptionsValidator().Validate(null, options);

        Assert.True(result.Failed);
        Assert.Contains(result.Failures!, f => f.StartsWith(failure, StringComparison.Ordinal));
    }
}
