using System.Text;
using Microsoft.Extensions.Time.Testing;

namespace Epsilon.Core.Manifest;

/// <summary>Hostile manifests fail the read with the limit they broke, never the process.</summary>
public sealed class ManifestLimitsTests
{
    private static readonly IReadOnlyDictionary<string, RuntimeRules> s_runtimes = new Dictionary<string, RuntimeRules> { ["node"] = TestRuntimes.Node };

    /// <summary>Large enough that the limit under test, not the size, is what a test meets.</summary>
    private static readonly ManifestLimits s_roomy = new() { MaxBytes = 4 * 1024 * 1024 };

    /// <summary>Nine anchors each nine times the one before: 9^9 (387 million) nodes from under 1 KiB.</summary>
    private static readonly string s_billionLaughs = new StringBuilder("runtime: node\na0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n")
        .AppendJoin("", Enumerable.Range(1, 8).Select(i => $"a{i}: &a{i} [{string.Join(", ", Enumerable.Repeat($"*a{i - 1}", 9))}]\n"))
        .Append("functions: {hello: {handler: 'index.js:hello', env: {LOL: *a8}}}\n")
        .ToString();

    [Fact]
    public void Nesting_of_200000_brackets_fails_naming_the_nesting_limit_without_overflowing_the_stack()
    {
        var yaml = new string('[', 200_000) + new string(']', 200_000);

        var error = ReadFails(yaml, s_roomy);

        Assert.Equal("(nesting)", error.Key);
        Assert.Contains("deeper than 32 levels", error.Message);
        Assert.StartsWith("epsilon.yaml is invalid: ", Assert.Throws<ManifestException>(() => ManifestReader.Read(yaml, s_runtimes, (_, _) => true, s_roomy)).Message);
    }

    [Fact]
    public void The_same_file_at_the_default_limits_fails_on_its_size_first()
    {
        var error = ReadFails(new string('[', 200_000) + new string(']', 200_000), limits: null);

        Assert.Equal("(size)", error.Key);
        Assert.Equal("the file is 400000 bytes, more than the 65536 bytes a manifest may be", error.Message);
    }

    [Fact]
    public void A_billion_laughs_alias_bomb_fails_naming_the_alias_limit()
    {
        var error = ReadFails(s_billionLaughs, limits: null);

        Assert.Equal("(aliases)", error.Key);
        Assert.Contains("more than 50000 nodes", error.Message);
        Assert.Equal(6, error.Line);
    }

    [Fact]
    public void A_manifest_larger_than_the_configured_size_fails_naming_it()
    {
        var yaml = "runtime: node\n" + string.Concat(Enumerable.Repeat("# padding padding padding padding padding padding\n", 2000));

        var error = ReadFails(yaml, new ManifestLimits { MaxBytes = 64 * 1024 });

        Assert.Equal("(size)", error.Key);
        Assert.Contains("more than the 65536 bytes", error.Message);
    }

    [Fact]
    public void A_manifest_that_parses_too_long_fails_naming_the_time_limit()
    {
        // Each look at the clock moves it a second: the third look, 768 events in, is past the 2 s bound.
        var clock = new FakeTimeProvider { AutoAdvanceAmount = TimeSpan.FromSeconds(1) };
        var yaml = "runtime: node\nlist: [" + string.Join(", ", Enumerable.Repeat("x", 1000)) + "]\n";

        var error = ReadFails(yaml, new ManifestLimits { TimeProvider = clock, MaxParseTime = TimeSpan.FromSeconds(2) });

        Assert.Equal("(time)", error.Key);
        Assert.Equal("parsing took longer than 2 s, the most a manifest may", error.Message);
    }

    [Fact]
    public void Anchors_and_aliases_within_the_limits_still_read()
    {
        const string yaml = """
            runtime: node
            functions:
              a:
                handler: index.js:a
                env: &common
                  REGION: eu
              b:
                handler: index.js:b
                env: *common
            """;

        var manifest = ManifestReader.Read(yaml, s_runtimes, (_, _) => true);

        Assert.All(manifest.Functions, f => Assert.Equal("eu", f.Config.Env["REGION"]));
    }

    [Fact]
    public void The_eserveless_reader_is_bounded_the_same_way()
    {
        var nested = Assert.Throws<ManifestException>(() => EserverlessManifestReader.Read(
            new string('[', 200_000), "https://github.com/a/b", s_runtimes, (_, _) => true, s_roomy));
        var bomb = Assert.Throws<ManifestException>(() => EserverlessManifestReader.Read(
            s_billionLaughs, "https://github.com/a/b", s_runtimes, (_, _) => true));

        Assert.Equal(EserverlessManifestReader.FileName, nested.FileName);
        Assert.Equal("(nesting)", Assert.Single(nested.Errors).Key);
        Assert.Equal("(aliases)", Assert.Single(bomb.Errors).Key);
    }

    private static ManifestError ReadFails(string yaml, ManifestLimits? limits)
    {
        var exception = Assert.Throws<ManifestException>(() => ManifestReader.Read(yaml, s_runtimes, (_, _) => true, limits));
        Assert.Equal(EpsilonManifest.FileName, exception.FileName);
        return Assert.Single(exception.Errors);
    }
}
