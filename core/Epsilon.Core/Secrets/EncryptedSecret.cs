namespace Epsilon.Core.Secrets;

/// <summary>A secret's value as stored: AES-GCM output, bound to its function and name as associated data.</summary>
/// <param name="Ciphertext">The encrypted value, as long as its UTF-8 bytes.</param>
/// <param name="Nonce">The random 96-bit nonce it was encrypted with.</param>
/// <param name="Tag">The 128-bit authentication tag.</param>
public sealed record EncryptedSecret(byte[] Ciphertext, byte[] Nonce, byte[] Tag);
