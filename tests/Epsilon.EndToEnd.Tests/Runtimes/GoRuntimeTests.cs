using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Epsilon.EndToEnd.Tests.Infrastructure;

namespace Epsilon.EndToEnd.Tests.Runtimes;

/// <summary>The Go runtime (wrapper-runtime/go) through the real builder and gateway: examples/go-echo and examples/go-deps.</summary>
[Collection(PlatformCollection.Name)]
public sealed class GoRuntimeTests(PlatformFixture platform)
{
    [Fact]
    public async Task CompileError_FailsTheDeployWith422NamingTheFileAndLine()
    {
        using var repository = TestRepository.Create(new Dictionary<string, string>
        {
            ["epsilon.yaml"] = "runtime: go\nfunctions:\n  go-broken:\n    handler: ./handlers:Broken\n",
            ["go.mod"] = "module example.com/broken\n\ngo 1.19\n",
            ["handlers/broken.go"] = "package handlers\n\nimport \"net/http\"\n\nfunc Broken(w http.ResponseWriter, r *http.Request) {\n\tw.Write(nope)\n}\n",
        });

        var (status, body) = await platform.DeployAsync(repository.Path);

        Assert.Equal(422, status);
        var error = body.GetProperty("error");
        Assert.Equal("BuildFailed", error.GetProperty("code").GetString());
        var message = error.GetProperty("message").GetString()!;
        Assert.Contains("function 'go-broken': handlers/broken.go:6: undefined: nope", message);
    }

    [Fact]
    public async Task WrongSignature_FailsTheDeployPointingAtTheDeclaration()
    {
        using var repository = TestRepository.Create(new Dictionary<string, string>
        {
            ["epsilon.yaml"] = "runtime: go\nfunctions:\n  go-wrongsig:\n    handler: .:Hello\n",
            ["hello.go"] = "package hello\n\nimport \"net/http\"\n\nfunc Hello(w http.ResponseWriter) {}\n",
        });

        var (status, body) = await platform.DeployAsync(repository.Path);

        Assert.Equal(422, status);
        var message = body.GetProperty("error").GetProperty("message").GetString()!;
        Assert.Contains("hello.go:5: func Hello has type func(w http.ResponseWriter)", message);
        Assert.Contains("func(w http.ResponseWriter, r *http.Request)", message);
    }
}
