using Epsilon.Core.Contracts;

namespace Epsilon.Builder.Images;

public sealed class RuntimeBaseTests
{
    private static readonly RuntimeBase s_built = new("sha256:base1", "sha256:build1", "wrapper1");

    [Fact]
    public void The_labels_it_writes_read_back_as_the_same_base()
    {
        var labels = s_built.Labels.ToDictionary(l => l.Key, l => l.Value);

        Assert.Equal("sha256:base1", labels[ContainerLabels.BaseImage]);
        Assert.Equal(s_built, RuntimeBase.FromLabels(labels));
    }

    [Fact]
    public void An_image_built_before_bases_were_recorded_reads_as_none()
    {
        Assert.Null(RuntimeBase.FromLabels(null));
        Assert.Null(RuntimeBase.FromLabels(new Dictionary<string, string> { [ContainerLabels.Function] = "hello" }));
    }

    [Fact]
    public void Differences_name_what_changed_in_order()
    {
        Assert.Empty(s_built.Differences(s_built));
        Assert.Equal(["base"], s_built.Differences(s_built with { BaseImage = "sha256:base2" }));
        Assert.Equal(["base", "build", "wrapper"], s_built.Differences(new RuntimeBase("a", "b", "c")));
    }
}
