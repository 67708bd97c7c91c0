using System.Security.Cryptography;
using Microsoft.Extensions.Options;

namespace Epsilon.Core.Secrets;

public sealed class SecretCipherTests
{
    private static readonly string s_key = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    private static SecretCipher Cipher(string? key = null) => new(Options.Create(new SecretsOptions { Key = key ?? s_key }));

    [Fact]
    public void Encrypt_ThenDecrypt_RoundTrips_WithAFreshNonceEachTime()
    {
        var cipher = Cipher();

        var first = cipher.Encrypt("hello", "TOKEN", "s3cret-välue");
        var second = cipher.Encrypt("hello", "TOKEN", "s3cret-välue");

        Assert.Equal("s3cret-välue", cipher.Decrypt("hello", "TOKEN", first));
        Assert.Equal(12, first.Nonce.Length);
        Assert.Equal(16, first.Tag.Length);
        Assert.NotEqual(first.Nonce, second.Nonce);
        Assert.NotEqual(first.Ciphertext, second.Ciphertext);
    }

    [Fact]
    public void Decrypt_ChangedCiphertextOrTag_Fails()
    {
        var cipher = Cipher();
        var secret = cipher.Encrypt("hello", "TOKEN", "value");
        var ciphertext = (byte[])secret.Ciphertext.Clone();
        ciphertext[0] ^= 1;
        var tag = (byte[])secret.Tag.Clone();
        tag[^1] ^= 1;

        Assert.ThrowsAny<CryptographicException>(() => cipher.Decrypt("hello", "TOKEN", secret with { Ciphertext = ciphertext }));
        Assert.ThrowsAny<CryptographicException>(() => cipher.Decrypt("hello", "TOKEN", secret with { Tag = tag }));
    }

    [Fact]
    public void Decrypt_AnotherKey_Fails()
    {
        var secret = Cipher().Encrypt("hello", "TOKEN", "value");

        Assert.ThrowsAny<CryptographicException>(() => Cipher(Convert.ToBase64String(RandomNumberGenerator.GetBytes(32))).Decrypt("hello", "TOKEN", secret));
    }

    [Fact]
    public void Decrypt_AnotherFunctionOrName_Fails_TheAssociatedDataBindsBoth()
    {
        var cipher = Cipher();
        var secret = cipher.Encrypt("a-b", "C", "value");

        Assert.ThrowsAny<CryptographicException>(() => cipher.Decrypt("other", "C", secret));
        Assert.ThrowsAny<CryptographicException>(() => cipher.Decrypt("a-b", "D", secret));
        Assert.ThrowsAny<CryptographicException>(() => cipher.Decrypt("a", "b\nC", secret));
    }

    [Fact]
    public void NoKey_NotConfigured_AndTheProblemNamesTheSetting()
    {
        var cipher = new SecretCipher(Options.Create(new SecretsOptions()));

        Assert.False(cipher.IsConfigured);
        Assert.Contains("Epsilon:Secrets:KeyFile", cipher.Problem, StringComparison.Ordinal);
        Assert.Throws<InvalidOperationException>(() => cipher.Encrypt("hello", "TOKEN", "value"));
        Assert.True(new SecretsOptionsValidator().Validate(null, new SecretsOptions()).Succeeded);
    }

    [Fact]
    public void KeyFile_HoldingABase64Key_IsRead_AndABadKeyFailsValidationNamingTheSetting()
    {
        var file = Path.GetTempFileName();
        try
        {
            File.WriteAllText(file, s_key + "\n");
            var fromFile = new SecretCipher(Options.Create(new SecretsOptions { KeyFile = file }));
            Assert.Equal("value", Cipher().Decrypt("hello", "TOKEN", fromFile.Encrypt("hello", "TOKEN", "value")));

            var validator = new SecretsOptionsValidator();
            File.WriteAllText(file, Convert.ToBase64String(new byte[16]));
            Assert.Contains("Epsilon:Secrets:KeyFile", Assert.Single(validator.Validate(null, new SecretsOptions { KeyFile = file }).Failures!),
                StringComparison.Ordinal);
            Assert.Contains("cannot be read", Assert.Single(validator.Validate(null, new SecretsOptions { KeyFile = file + ".absent" }).Failures!),
                StringComparison.Ordinal);
            Assert.Contains("Epsilon:Secrets:Key", Assert.Single(validator.Validate(null, new SecretsOptions { Key = "not base64!" }).Failures!),
                StringComparison.Ordinal);
            Assert.Contains("not both", Assert.Single(validator.Validate(null, new SecretsOptions { Key = s_key, KeyFile = file }).Failures!),
                StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
        }
    }
}
