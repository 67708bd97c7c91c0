using System.Security.Cryptography;
using Epsilon.Core.Model;
using Epsilon.Core.Secrets;
using Epsilon.Gateway.Containers;
using Epsilon.Gateway.Pooling;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Epsilon.Gateway.Functions;

/// <summary>Secrets come with the function table, encrypted, and are decrypted only into a starting container's environment.</summary>
public sealed class FunctionSecretsTests
{
    private static readonly SecretCipher s_cipher = Cipher();

    [Fact]
    public async Task EnvironmentOf_DecryptsTheVersionsSecretsFromTheTable_AndSkipsOnesTheFunctionNoLongerHas()
    {
        using var gateway = new PoolsHarness();
        gateway.Store.Secrets = [new StoredSecret("shop", "TOKEN", s_cipher.Encrypt("shop", "TOKEN", "value=1")),
            new StoredSecret("blog", "OTHER", s_cipher.Encrypt("blog", "OTHER", "x"))];
        await gateway.GoLiveAsync();
        var secrets = new FunctionSecrets(() => gateway.Table.Current, s_cipher, NullLogger<FunctionSecrets>.Instance);

        Assert.Equal(["TOKEN=value=1"], secrets.EnvironmentOf(Version("shop", ["GONE", "TOKEN"])));
        Assert.Empty(secrets.EnvironmentOf(Version("shop", null)));
    }

    [Fact]
    public async Task EnvironmentOf_AnotherKey_FailsTheStart_NamingTheSettingAndNeverTheValue()
    {
        using var gateway = new PoolsHarness();
        gateway.Store.Secrets = [new StoredSecret("shop", "TOKEN", s_cipher.Encrypt("shop", "TOKEN", "the-value"))];
        await gateway.GoLiveAsync();

        var other = new FunctionSecrets(() => gateway.Table.Current, Cipher(), NullLogger<FunctionSecrets>.Instance);
        var none = new FunctionSecrets(() => gateway.Table.Current, new SecretCipher(Options.Create(new SecretsOptions())), NullLogger<FunctionSecrets>.Instance);

        var wrong = Assert.Throws<ColdStartException>(() => other.EnvironmentOf(Version("shop", ["TOKEN"])));
        var missing = Assert.Throws<ColdStartException>(() => none.EnvironmentOf(Version("shop", ["TOKEN"])));
        Assert.Contains("'TOKEN' does not decrypt", wrong.Message, StringComparison.Ordinal);
        Assert.Contains("Epsilon:Secrets", missing.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("the-value", wrong.Message + missing.Message, StringComparison.Ordinal);
    }

    private static SecretCipher Cipher() =>
        new(Options.Create(new SecretsOptions { Key = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)) }));

    private static FunctionVersion Version(string function, IReadOnlyList<string>? secrets) => new()
    {
        Function = function,
        Version = 1,
        Image = $"registry.test/{function}:v1",
        Status = VersionStatus.Ready,
        DeploymentId = "d-1",
        Config = new FunctionConfig { Runtime = "node", HandlerFile = "index.js", HandlerExport = "h", Secrets = secrets },
        CreatedAt = DateTimeOffset.UnixEpoch,
    };
}
