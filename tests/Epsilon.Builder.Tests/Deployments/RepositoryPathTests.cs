namespace Epsilon.Builder.Deployments;

/// <summary>A handler path resolves through links only while they stay inside the repository.</summary>
public sealed class RepositoryPathTests : IDisposable
{
    private readonly string _root = TempDirectory.Create("epsilon-repository-path");

    public RepositoryPathTests()
    {
        Directory.CreateDirectory(Path.Combine(_root, "src"));
        File.WriteAllText(Path.Combine(_root, "src", "index.js"), "module.exports.hello = () => 'hi';");
    }

    public void Dispose() => TempDirectory.Delete(_root);

    [Fact]
    public void Files_and_links_inside_the_repository_exist()
    {
        File.CreateSymbolicLink(Path.Combine(_root, "index.js"), "src/index.js");
        Directory.CreateSymbolicLink(Path.Combine(_root, "lib"), Path.Combine(_root, "src"));
        File.CreateSymbolicLink(Path.Combine(_root, "src", "up.js"), "../index.js");

        Assert.True(RepositoryPath.Exists(_root, "src/index.js", directory: false));
        Assert.True(RepositoryPath.Exists(_root, "index.js", directory: false));
        Assert.True(RepositoryPath.Exists(_root, "lib/index.js", directory: false));
        Assert.True(RepositoryPath.Exists(_root, "src/up.js", directory: false));
        Assert.True(RepositoryPath.Exists(_root, "lib", directory: true));
        Assert.False(RepositoryPath.Exists(_root, "src/missing.js", directory: false));
    }

    [Fact]
    public void A_link_to_a_host_file_does_not_exist()
    {
        File.CreateSymbolicLink(Path.Combine(_root, "passwd.js"), "/etc/passwd");
        File.CreateSymbolicLink(Path.Combine(_root, "src", "escape.js"), "../../../../../../../etc/passwd");

        Assert.False(RepositoryPath.Exists(_root, "passwd.js", directory: false));
        Assert.False(RepositoryPath.Exists(_root, "src/escape.js", directory: false));
        Assert.False(RepositoryPath.Exists(_root, "../../../../etc/passwd", directory: false));
    }

    [Fact]
    public void A_link_to_a_folder_outside_does_not_exist_nor_anything_under_it()
    {
        Directory.CreateSymbolicLink(Path.Combine(_root, "etc"), "/etc");

        Assert.False(RepositoryPath.Exists(_root, "etc", directory: true));
        Assert.False(RepositoryPath.Exists(_root, "etc/passwd", directory: false));
    }

    [Fact]
    public void A_link_loop_does_not_exist_and_ends()
    {
        File.CreateSymbolicLink(Path.Combine(_root, "a.js"), "b.js");
        File.CreateSymbolicLink(Path.Combine(_root, "b.js"), "a.js");
        Directory.CreateSymbolicLink(Path.Combine(_root, "src", "loop"), ".");

        Assert.False(RepositoryPath.Exists(_root, "a.js", directory: false));
        Assert.True(RepositoryPath.Exists(_root, "src/loop/loop/loop/index.js", directory: false));
        Assert.False(RepositoryPath.Exists(_root, string.Join('/', Enumerable.Repeat("src/loop", 50)) + "/missing.js", directory: false));
    }
}
