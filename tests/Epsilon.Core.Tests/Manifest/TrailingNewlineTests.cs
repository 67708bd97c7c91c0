using Epsilon.Core.Model;

namespace Epsilon.Core.Manifest;

/// <summary>In .NET <c>$</c> also matches before a final "\n": every name is matched to its very end.</summary>
public sealed class TrailingNewlineTests
{
    private static readonly IReadOnlyDictionary<string, RuntimeRules> s_runtimes = new Dictionary<string, RuntimeRules> { ["node"] = TestRuntimes.Node };

    [Fact]
    public void A_function_name_with_a_trailing_newline_is_not_valid()
    {
        Assert.True(FunctionName.IsValid("hello"));
        Assert.False(FunctionName.IsValid("hello\n"));
    }

    [Theory]
    [InlineData("\"hello\\n\":\n    handler: index.js:hello\n", "functions.hello\n")]
    [InlineData("hello:\n    handler: \"index.js:hello\\n\"\n", "functions.hello.handler")]
    [InlineData("hello:\n    handler: \"index.handler\\n\"\n", "functions.hello.handler")]
    [InlineData("hello:\n    handler: index.js:hello\n    env:\n      \"FOO\\n\": bar\n", "functions.hello.env.FOO\n")]
    public void A_manifest_name_or_handler_with_a_trailing_newline_is_rejected_naming_the_key(string function, string key)
    {
        var exception = Assert.Throws<ManifestException>(() => ManifestReader.Read("runtime: node\nfunctions:\n  " + function, s_runtimes, (_, _) => true));

        Assert.Contains(exception.Errors, e => e.Key == key);
    }

    [Fact]
    public void An_eserveless_function_name_with_a_trailing_newline_is_rejected()
    {
        var exception = Assert.Throws<ManifestException>(() => EserverlessManifestReader.Read(
            "runtime: node\nfunctions:\n- name: \"API\\n\"\n", "https://github.com/acme/shop", s_runtimes, (_, _) => true));

        Assert.Equal("functions[0]", Assert.Single(exception.Errors).Key);
    }
}
