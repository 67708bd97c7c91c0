using System.Security.Cryptography;
using System.Text;

namespace Epsilon.Core.Auth;

/// <summary>
/// Token secrets: 256 random bits shown once, kept only as their SHA-256. A secret that random cannot be guessed from
/// its hash, so a fast hash is right (a slow password hash would only slow every request).
/// </summary>
public static class TokenSecret
{
    /// <summary>What every secret starts with, so scanners and people recognize one.</summary>
    public const string Prefix = "eps_";

    /// <summary>A new secret: the prefix and 32 random bytes, base64url.</summary>
    public static string Create() => Prefix + Base64Url(RandomNumberGenerator.GetBytes(32));

    /// <summary>The stored form of <paramref name="secret"/>: its SHA-256, lower-case hex.</summary>
    public static string Hash(string secret)
    {
        ArgumentNullException.ThrowIfNull(secret);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));
    }

    /// <summary>Whether two hashes are equal, in time that does not depend on where they differ.</summary>
    public static bool HashesEqual(string a, string b) =>
        CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(a), Encoding.ASCII.GetBytes(b));

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
