using System.Diagnostics;
using Epsilon.Builder;
using Epsilon.EndToEnd.Tests.Infrastructure;
using Epsilon.Tests.Shared;

namespace Epsilon.EndToEnd.Tests.Cli;

/// <summary>
/// The <c>epsilon</c> CLI against the running platform: every verb it has, as a process, its <c>--json</c> parsed, its
/// exit codes and messages on failure, and an https builder that a custom CA signed.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class CliTests(PlatformFixture platform)
{
    private string BuilderUrl => platform.Builder.BaseAddress!.ToString().TrimEnd('/');

    [Fact]
    public async Task Login_Deploy_Ls_Info_Invoke_WorkAgainstThePlatform_AndTheirJsonParses()
    {
        using var cli = new EpsilonCli();
        (await cli.RunAsync("login", "--url", BuilderUrl, "--token", TestAdmin.Token)).Expect(0);
        // It may hold a token: readable by its owner alone (this suite runs on Linux).
        Assert.True(OperatingSystem.IsLinux());
        if (OperatingSystem.IsLinux())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(cli.ConfigPath));
        }

        using var repository = TestRepository.Create(new Dictionary<string, string>
        {
            ["epsilon.yaml"] = "runtime: node\nfunctions:\n  cli-echo:\n    handler: echo.js:echo\n",
            ["echo.js"] = Functions.Echo,
        });
        var deploy = (await cli.RunAsync("deploy", repository.Path)).Expect(0);
        // The build log streams to standard error as it is written; the URLs end standard output.
        Assert.Contains("cli-echo", deploy.Error, StringComparison.Ordinal);
        Assert.Contains(platform.Gateway.BaseAddress + "cli-echo/", deploy.Output, StringComparison.Ordinal);

        var again = (await cli.RunAsync("deploy", repository.Path, "--json", "--quiet")).Expect(0).Json();
        Assert.Equal("ready", again.GetProperty("status").GetString());
        Assert.Equal("cli-echo", again.GetProperty("functions")[0].GetProperty("name").GetString());
        Assert.Equal("", (await cli.RunAsync("deploy", repository.Path, "--quiet")).Expect(0).Error.Trim());

        var list = (await cli.RunAsync("ls", "--json")).Expect(0).Json();
        Assert.Contains(list.EnumerateArray(), f => f.GetProperty("name").GetString() == "cli-echo");
        Assert.Contains("cli-echo", (await cli.RunAsync("ls")).Expect(0).Output, StringComparison.Ordinal);

        var info = (await cli.RunAsync("info", "cli-echo", "--json")).Expect(0).Json();
        Assert.Equal("node", info.GetProperty("settings").GetProperty("runtime").GetString());
        Assert.Contains("echo.js:echo", (await cli.RunAsync("info", "cli-echo")).Expect(0).Output, StringComparison.Ordinal);

        var call = (await cli.RunAsync("invoke", "cli-echo", "--path", "/items?x=1")).Expect(0);
        Assert.Contains("\"path\":\"/items\"", call.Output, StringComparison.Ordinal);
        Assert.Matches(@"200 OK in \d+ ms, request id [0-9a-f]{8,}", call.Error);

        var posted = (await cli.RunAsync("invoke", "cli-echo", "-d", "{\"n\":7}", "-H", "Content-Type: application/json", "-H", "X-Test: hi", "--json"))
            .Expect(0).Json();
        Assert.Equal(200, posted.GetProperty("status").GetInt32());
        Assert.False(string.IsNullOrEmpty(posted.GetProperty("requestId").GetString()));
        Assert.Equal("yes", posted.GetProperty("headers").GetProperty("x-echo").GetString());
        var echoed = System.Text.Json.JsonDocument.Parse(posted.GetProperty("body").GetString()!).RootElement;
        Assert.Equal("POST", echoed.GetProperty("method").GetString());
        Assert.Equal("hi", echoed.GetProperty("header").GetString());
        Assert.Equal(7, echoed.GetProperty("body").GetProperty("n").GetInt32());

        // A function's 5xx is the function failing: exit 1, the answer still printed.
        var failed = (await cli.RunAsync("invoke", "cli-echo", "--path", "/x?status=503")).Expect(1);
        Assert.Contains("503", failed.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Deploy_WithNoRepository_DeploysTheCheckoutsOriginAtItsCommit_AndRefusesACommitNotPushed()
    {
        using var cli = new EpsilonCli();
        using var origin = TestRepository.Create(new Dictionary<string, string>
        {
            ["epsilon.yaml"] = "runtime: node\nfunctions:\n  cli-checkout:\n    handler: index.js:hello\n",
            ["index.js"] = Functions.Text("hello", "from the checkout"),
        });
        var checkout = Directory.CreateTempSubdirectory("epsilon-checkout-").FullName;
        try
        {
            TestRepository.Git(origin.Path, "clone", "-q", origin.Path, checkout);
            var head = TestRepository.Git(checkout, "rev-parse", "HEAD");
            var deployed = (await cli.RunInAsync(checkout, "deploy", "--url", BuilderUrl, "--json", "--quiet")).Expect(0).Json();
            Assert.Equal(head, deployed.GetProperty("commit").GetString());
            Assert.Equal(origin.Path, deployed.GetProperty("repository").GetString());

            File.WriteAllText(Path.Combine(checkout, "index.js"), Functions.Text("hello", "not pushed"));
            TestRepository.Git(checkout, "-c", "user.name=t", "-c", "user.email=t@epsilon.invalid", "commit", "-q", "-am", "local only");
            var refused = (await cli.RunInAsync(checkout, "deploy", "--url", BuilderUrl)).Expect(1);
            Assert.Contains("is not on the remote 'origin'", refused.Error, StringComparison.Ordinal);
            Assert.Contains("git push", refused.Error, StringComparison.Ordinal);

            // Pushed to a branch of the remote, it deploys, and the function answers with the new code.
            TestRepository.Git(checkout, "push", "-q", "origin", "HEAD:refs/heads/feature");
            var pushed = (await cli.RunInAsync(checkout, "deploy", "--url", BuilderUrl, "--json", "--quiet")).Expect(0).Json();
            Assert.Equal(TestRepository.Git(checkout, "rev-parse", "HEAD"), pushed.GetProperty("commit").GetString());
            var answer = (await cli.RunAsync("invoke", "cli-checkout", "--url", BuilderUrl)).Expect(0);
            Assert.Contains("not pushed", answer.Output, StringComparison.Ordinal);

            var outside = Directory.CreateTempSubdirectory("epsilon-nogit-").FullName;
            var noCheckout = (await cli.RunInAsync(outside, "deploy", "--url", BuilderUrl)).Expect(2);
            Assert.Contains("not inside a Git checkout", noCheckout.Error, StringComparison.Ordinal);
            Directory.Delete(outside);
        }
        finally
        {
            Directory.Delete(checkout, recursive: true);
        }
    }

    [Fact]
    public async Task Token_CreateLsRevoke_FromAnAdminTokenTheLocalCommandMade_AndRefusedTokensExitFour()
    {
        // The first admin token, as an operator makes it on the builder's host: the builder's own command, on its store.
        var made = await RunProcessAsync("dotnet",
            Path.Combine(TestRepository.SourceRoot, "builder/Epsilon.Builder/bin/Release/net10.0/Epsilon.Builder.dll"),
            "tokens", "create", "--name", "e2e-ops", "--scope", "admin", $"--Epsilon:Store:Path={platform.StorePath}");
        Assert.True(made.ExitCode == 0, made.Error);
        var ops = made.Output.Trim();
        Assert.StartsWith("eps_", ops, StringComparison.Ordinal);
        Assert.DoesNotContain(ops, made.Error, StringComparison.Ordinal);

        using var cli = new EpsilonCli(withAdminToken: false);
        (await cli.RunAsync("login", "--url", BuilderUrl, "--token", ops)).Expect(0);
        var ci = (await cli.RunAsync("token", "create", "e2e-ci", "--scope", "deploy", "--repository", "acme/shop", "--json")).Expect(0).Json();
        Assert.Equal("deploy", ci.GetProperty("scope").GetString());
        Assert.Equal("https://github.com/acme/shop", ci.GetProperty("repositories")[0].GetString());
        var ciSecret = ci.GetProperty("token").GetString()!;
        var viewer = (await cli.RunAsync("token", "create", "e2e-viewer", "--scope", "read")).Expect(0);
        // Without --json the secret is alone on standard output, for $(epsilon token create ...).
        var viewerSecret = viewer.Output.Trim();
        Assert.StartsWith("eps_", viewerSecret, StringComparison.Ordinal);
        Assert.Contains("not shown again", viewer.Error, StringComparison.Ordinal);

        var listed = (await cli.RunAsync("token", "ls", "--json")).Expect(0);
        var names = listed.Json().EnumerateArray().Select(t => t.GetProperty("name").GetString()).ToList();
        Assert.Contains("e2e-ops", names);
        Assert.Contains("e2e-ci", names);
        Assert.Contains("e2e-viewer", names);
        foreach (var secret in new[] { ops, ciSecret, viewerSecret })
        {
            Assert.DoesNotContain(secret, listed.Output, StringComparison.Ordinal);
        }

        Assert.Contains("e2e-viewer", (await cli.RunAsync("token", "ls")).Expect(0).Output, StringComparison.Ordinal);

        // A read token reads, and is refused the admin's verbs: 403, exit 4.
        (await cli.RunAsync("ls", "--token", viewerSecret, "--json")).Expect(0).Json();
        Assert.Contains("403", (await cli.RunAsync("token", "ls", "--token", viewerSecret)).Expect(4).Error, StringComparison.Ordinal);

        // Revoked: 401 at once, exit 4; revoking what is not there: exit 5.
        (await cli.RunAsync("ls", "--token", ciSecret)).Expect(0);
        (await cli.RunAsync("token", "revoke", ci.GetProperty("id").GetString()!)).Expect(0);
        Assert.Contains("401", (await cli.RunAsync("ls", "--token", ciSecret)).Expect(4).Error, StringComparison.Ordinal);
        (await cli.RunAsync("token", "revoke", ci.GetProperty("id").GetString()!)).Expect(5);
        (await cli.RunAsync("ls", "--token", "eps_not-a-token")).Expect(4);
        // login checks the token before saving it.
        (await cli.RunAsync("login", "--url", BuilderUrl, "--token", ciSecret)).Expect(4);
    }

    [Fact]
    public async Task Audit_ShowsWhatTheTokenVerbsDid_AsATableAndAsJson_AndItsRefusalOfAReadToken()
    {
        using var cli = new EpsilonCli();
        (await cli.RunAsync("login", "--url", BuilderUrl, "--token", TestAdmin.Token)).Expect(0);
        var viewer = (await cli.RunAsync("token", "create", "e2e-auditor", "--scope", "read", "--json")).Expect(0).Json();
        var viewerId = viewer.GetProperty("id").GetString()!;
        var viewerSecret = viewer.GetProperty("token").GetString()!;
        Assert.Contains("403", (await cli.RunAsync("audit", "--token", viewerSecret)).Expect(4).Error, StringComparison.Ordinal);
        (await cli.RunAsync("token", "revoke", viewerId)).Expect(0);

        var page = (await cli.RunAsync("audit", "--json", "--limit", "1000")).Expect(0);
        var entries = page.Json().GetProperty("entries").EnumerateArray().ToList();
        var revoked = entries.First(e => e.GetProperty("action").GetString() == "DELETE /tokens/{id}" && e.GetProperty("target").GetString() == viewerId);
        var refused = entries.First(e => e.GetProperty("action").GetString() == "GET /audit" && e.GetProperty("actorId").GetString() == viewerId);
        var created = entries.First(e => e.GetProperty("action").GetString() == "POST /tokens" && e.GetProperty("target").GetString() == viewerId);
        Assert.Equal(("bootstrap", 204, "succeeded"), (revoked.GetProperty("actor").GetString(), revoked.GetProperty("status").GetInt32(), revoked.GetProperty("outcome").GetString()));
        Assert.Equal(("e2e-auditor", 403, "denied"), (refused.GetProperty("actor").GetString(), refused.GetProperty("status").GetInt32(), refused.GetProperty("outcome").GetString()));
        Assert.Equal(("bootstrap", 201, "succeeded"), (created.GetProperty("actor").GetString(), created.GetProperty("status").GetInt32(), created.GetProperty("outcome").GetString()));
        Assert.True(revoked.GetProperty("id").GetInt64() > refused.GetProperty("id").GetInt64(), "newest first");
        Assert.DoesNotContain(viewerSecret, page.Output, StringComparison.Ordinal);

        var table = (await cli.RunAsync("audit", "--limit", "3")).Expect(0).Output;
        Assert.Contains("DELETE /tokens/{id}", table, StringComparison.Ordinal);
        Assert.Contains(viewerId, table, StringComparison.Ordinal);
        Assert.Contains("limit", (await cli.RunAsync("audit", "--limit", "5000")).Expect(1).Error, StringComparison.Ordinal);
    }

    private static async Task<(int ExitCode, string Output, string Error)> RunProcessAsync(string file, params string[] arguments)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await output, await error);
    }

    [Fact]
    public async Task Failures_EndWithOneLineAPersonCanActOn_AndTheDocumentedExitCode()
    {
        using var cli = new EpsilonCli();
        // No builder configured at all.
        Assert.Contains("epsilon login", (await cli.RunAsync("ls")).Expect(2).Error, StringComparison.Ordinal);
        // The command line itself is wrong.
        (await cli.RunAsync("frobnicate")).Expect(2);
        (await cli.RunAsync("info")).Expect(2);
        Assert.Contains("--header 'no-colon' is not 'Name: value'", (await cli.RunAsync("invoke", "x", "-H", "no-colon", "--url", BuilderUrl)).Expect(2).Error,
            StringComparison.Ordinal);
        Assert.Contains("repository", (await cli.RunAsync("deploy", "--bogus", "--url", BuilderUrl)).Expect(2).Error, StringComparison.Ordinal);
        // Nothing listens there.
        var unreachable = (await cli.RunAsync("ls", "--url", "http://127.0.0.1:1")).Expect(3);
        Assert.Contains("cannot reach the builder at http://127.0.0.1:1", unreachable.Error, StringComparison.Ordinal);
        // The builder's own errors: the message, the field, the code.
        var missing = (await cli.RunAsync("info", "no-such-function", "--url", BuilderUrl)).Expect(5);
        Assert.Contains("function 'no-such-function' does not exist", missing.Error, StringComparison.Ordinal);
        var invalid = (await cli.RunAsync("deploy", "not a repository!", "--url", BuilderUrl)).Expect(1);
        Assert.Contains("field 'repository'", invalid.Error, StringComparison.Ordinal);
        Assert.Contains("InvalidRepository", invalid.Error, StringComparison.Ordinal);
        // A deploy that fails in the build: exit 1, and why.
        using var broken = TestRepository.Create(new Dictionary<string, string> { ["epsilon.yaml"] = "runtime: cobol\nfunctions:\n  f:\n    handler: a.b:c\n" });
        var failed = (await cli.RunAsync("deploy", broken.Path, "--url", BuilderUrl)).Expect(1);
        Assert.Contains("failed", failed.Error, StringComparison.Ordinal);
        Assert.Contains("cobol", failed.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HttpsBuilder_SignedByAPrivateCa_IsRefusedUntilTheCaIsGiven_ThenLoginSavesIt()
    {
        var root = Directory.CreateTempSubdirectory("epsilon-cli-tls-").FullName;
        using var ca = new TestCertificateAuthority("Epsilon CLI test CA");
        var (certificate, key) = ca.WriteServerCertificate(root);
        var caFile = ca.WriteCa(Path.Combine(root, "ca.pem"));
        var builder = BuilderApplication.Build(
        [
            "--urls=https://127.0.0.1:0",
            $"--Kestrel:Certificates:Default:Path={certificate}",
            $"--Kestrel:Certificates:Default:KeyPath={key}",
            $"--Epsilon:Store:Path={platform.StorePath}",
            $"--Epsilon:Builder:WorkDirectory={Path.Combine(root, "builds")}",
            $"--Epsilon:Builder:GatewayUrl={platform.Gateway.BaseAddress}",
            TestAdmin.BuilderArgument,
            "--Logging:LogLevel:Default=Warning",
        ]);
        await builder.StartAsync();
        try
        {
            var url = builder.Urls.First();
            using var cli = new EpsilonCli();
            var refused = (await cli.RunAsync("ls", "--url", url)).Expect(3);
            Assert.Contains("certificate that does not verify", refused.Error, StringComparison.Ordinal);
            Assert.Contains("--ca-file", refused.Error, StringComparison.Ordinal);
            (await cli.RunAsync("login", "--url", url)).Expect(3);
            Assert.False(File.Exists(cli.ConfigPath));

            (await cli.RunAsync("ls", "--url", url, "--ca-file", caFile, "--token", TestAdmin.Token, "--json")).Expect(0).Json();
            // Another CA's file does not make it trusted.
            using var other = new TestCertificateAuthority("Someone else's CA");
            (await cli.RunAsync("ls", "--url", url, "--ca-file", other.WriteCa(Path.Combine(root, "other.pem")))).Expect(3);
            Assert.Contains("--ca-file", (await cli.RunAsync("ls", "--url", url, "--ca-file", certificate + ".missing")).Expect(2).Error, StringComparison.Ordinal);

            (await cli.RunAsync("login", "--url", url, "--ca-file", caFile, "--token", TestAdmin.Token)).Expect(0);
            (await cli.RunAsync("ls", "--json")).Expect(0).Json();
        }
        finally
        {
            await builder.StopAsync();
            await builder.DisposeAsync();
            Directory.Delete(root, recursive: true);
        }
    }
}
