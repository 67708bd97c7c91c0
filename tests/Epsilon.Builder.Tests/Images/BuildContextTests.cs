using System.Formats.Tar;
using System.Text;

namespace Epsilon.Builder.Images;

public sealed class BuildContextTests : IDisposable
{
    private const string Dockerfile = "FROM base\nCOPY runtime/ /runtime/\nCOPY function/ /function/\n";

    private readonly string _root = TempDirectory.Create("epsilon-build-context");

    private string Runtime => Path.Combine(_root, "runtime-src");

    private string Repository => Path.Combine(_root, "repository");

    public BuildContextTests()
    {
        Write(Runtime, "wrapper.js", "wrapper");
        Write(Runtime, "lib/http.js", "http");
        Write(Repository, "epsilon.yaml", "runtime: node\n");
        Write(Repository, "src/index.js", "module.exports.hello = () => 'hi';");
        Write(Repository, ".github/workflows/ci.yml", "on: push");
        Write(Repository, ".git/config", "[core]");
        Write(Repository, ".git/objects/ab/cdef", "object");
        Write(Repository, "vendor/lib/.git/HEAD", "ref: refs/heads/main");
        Write(Repository, "vendor/lib/lib.js", "lib");
    }

    public void Dispose() => TempDirectory.Delete(_root);

    [Fact]
    public async Task CreateAsync_Repository_HoldsDockerfileRuntimeAndFunctionFiles()
    {
        var entries = await ReadAsync();

        Assert.Equal(Dockerfile, entries["Dockerfile"].Content);
        Assert.Equal(TarEntryType.RegularFile, entries["Dockerfile"].Type);
        Assert.Equal("wrapper", entries["runtime/wrapper.js"].Content);
        Assert.Equal("http", entries["runtime/lib/http.js"].Content);
        Assert.Equal("runtime: node\n", entries["function/epsilon.yaml"].Content);
        Assert.Equal("module.exports.hello = () => 'hi';", entries["function/src/index.js"].Content);
        Assert.Equal("on: push", entries["function/.github/workflows/ci.yml"].Content);
        Assert.Equal("lib", entries["function/vendor/lib/lib.js"].Content);
        Assert.Equal(TarEntryType.Directory, entries["function/src/"].Type);
        Assert.Equal(TarEntryType.Directory, entries["runtime/"].Type);
    }

    [Fact]
    public async Task CreateAsync_Repository_LeavesOutGitFolders()
    {
        var entries = await ReadAsync();

        Assert.DoesNotContain(entries.Keys, name => name.Split('/').Contains(".git"));
    }

    [Fact]
    public async Task CreateAsync_SymlinkToHostFile_IsStoredAsLinkNotContent()
    {
        File.CreateSymbolicLink(Path.Combine(Repository, "passwd"), "/etc/passwd");
        File.CreateSymbolicLink(Path.Combine(Repository, "src", "relative.js"), "index.js");

        var entries = await ReadAsync();

        var passwd = entries["function/passwd"];
        Assert.Equal(TarEntryType.SymbolicLink, passwd.Type);
        Assert.Equal("/etc/passwd", passwd.LinkName);
        Assert.Null(passwd.Content);
        var relative = entries["function/src/relative.js"];
        Assert.Equal(TarEntryType.SymbolicLink, relative.Type);
        Assert.Equal("index.js", relative.LinkName);
    }

    [Fact]
    public async Task CreateAsync_SymlinkToHostDirectory_IsStoredAsLinkAndNotFollowed()
    {
        Directory.CreateSymbolicLink(Path.Combine(Repository, "etc"), "/etc");

        var entries = await ReadAsync();

        var link = entries["function/etc"];
        Assert.Equal(TarEntryType.SymbolicLink, link.Type);
        Assert.Equal("/etc", link.LinkName);
        Assert.DoesNotContain(entries.Keys, name => name.StartsWith("function/etc/", StringComparison.Ordinal));
    }

    [Fact]
    public async Task CreateAsync_SymlinkLoops_AreStoredAsLinksAndEnd()
    {
        Directory.CreateSymbolicLink(Path.Combine(Repository, "src", "loop"), ".");
        File.CreateSymbolicLink(Path.Combine(Repository, "a"), "b");
        File.CreateSymbolicLink(Path.Combine(Repository, "b"), "a");

        var entries = await ReadAsync();

        Assert.Equal((TarEntryType.SymbolicLink, "."), (entries["function/src/loop"].Type, entries["function/src/loop"].LinkName));
        Assert.Equal((TarEntryType.SymbolicLink, "b"), (entries["function/a"].Type, entries["function/a"].LinkName));
        Assert.Equal((TarEntryType.SymbolicLink, "a"), (entries["function/b"].Type, entries["function/b"].LinkName));
        Assert.DoesNotContain(entries.Keys, name => name.StartsWith("function/src/loop/", StringComparison.Ordinal));
    }

    [Fact]
    public async Task CreateAsync_DisposingTheStream_DeletesTheTemporaryFile()
    {
        var stream = await BuildContext.CreateAsync(Dockerfile, Runtime, Repository);
        var path = Assert.IsType<FileStream>(stream).Name;
        Assert.True(File.Exists(path));
        Assert.Equal(0, stream.Position);

        await stream.DisposeAsync();

        Assert.False(File.Exists(path));
    }

    private async Task<Dictionary<string, (TarEntryType Type, string? Content, string LinkName)>> ReadAsync()
    {
        await using var stream = await BuildContext.CreateAsync(Dockerfile, Runtime, Repository);
        var entries = new Dictionary<string, (TarEntryType, string?, string)>(StringComparer.Ordinal);
        await using var reader = new TarReader(stream);
        while (await reader.GetNextEntryAsync() is { } entry)
        {
            string? content = null;
            if (entry.DataStream is { } data)
            {
                using var text = new StreamReader(data, Encoding.UTF8);
                content = await text.ReadToEndAsync();
            }

            // Add, not an indexer: an entry written twice is a bug too.
            entries.Add(entry.Name, (entry.EntryType, content, entry.LinkName));
        }

        return entries;
    }

    private static void Write(string root, string relativePath, string content)
    {
        var path = Path.Combine(root, relativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
    }
}
