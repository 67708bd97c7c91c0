using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace Epsilon.Core.Secrets;

/// <summary>
/// Encrypts secrets in the builder and decrypts them in the gateway with AES-256-GCM: a random 96-bit nonce per value,
/// and the function's and the secret's names as associated data, so a stored value copied to another function or name
/// does not decrypt there.
/// </summary>
public sealed class SecretCipher
{
    /// <summary>Bytes in a key.</summary>
    public const int KeySize = 32;

    private const int NonceSize = 12;
    private const int TagSize = 16;

    private readonly byte[]? _key;

    /// <summary>Reads the key the options name (validated at start); without one, <see cref="Problem"/> says what to set.</summary>
    public SecretCipher(IOptions<SecretsOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        (_key, Problem) = options.Value.Resolve();
    }

    /// <summary>Whether a key is configured, so secrets can be written and read.</summary>
    public bool IsConfigured => _key is not null;

    /// <summary>Why secrets cannot be used (naming the setting); null when they can.</summary>
    public string? Problem { get; }

    /// <summary>Encrypts <paramref name="value"/> as the secret <paramref name="name"/> of <paramref name="function"/>.</summary>
    /// <exception cref="InvalidOperationException">No key is configured.</exception>
    public EncryptedSecret Encrypt(string function, string name, string value)
    {
        using var aes = Create();
        var plaintext = Encoding.UTF8.GetBytes(value);
        var nonce = RandomNumberGenerator.GetBytes(NonceSize);
        var ciphertext = new byte[plaintext.Length];
        var tag = new byte[TagSize];
        aes.Encrypt(nonce, plaintext, ciphertext, tag, AssociatedData(function, name));
        CryptographicOperations.ZeroMemory(plaintext);
        return new EncryptedSecret(ciphertext, nonce, tag);
    }

    /// <summary>Decrypts a value stored for the secret <paramref name="name"/> of <paramref name="function"/>.</summary>
    /// <exception cref="AuthenticationTagMismatchException">Another key, another function or name, or a changed value.</exception>
    /// <exception cref="InvalidOperationException">No key is configured.</exception>
    public string Decrypt(string function, string name, EncryptedSecret secret)
    {
        ArgumentNullException.ThrowIfNull(secret);
        using var aes = Create();
        var plaintext = new byte[secret.Ciphertext.Length];
        aes.Decrypt(secret.Nonce, secret.Ciphertext, secret.Tag, plaintext, AssociatedData(function, name));
        return Encoding.UTF8.GetString(plaintext);
    }

    private AesGcm Create() => new(_key ?? throw new InvalidOperationException(Problem), TagSize);

    // A separator no function or variable name contains, so ("a-b", "c") and ("a", "b-c") never bind alike.
    private static byte[] AssociatedData(string function, string name) => Encoding.UTF8.GetBytes($"epsilon-secret\n{function}\n{name}");
}
