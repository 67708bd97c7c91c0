namespace Epsilon.Core.Secrets;

/// <summary>
/// The key that encrypts functions' secrets at rest (AES-256-GCM). Bound from <c>Epsilon:Secrets</c>; builder and gateway
/// need the same key. Neither setting: secrets cannot be written (the API says which setting is missing), all else works.
/// </summary>
public sealed class SecretsOptions
{
    /// <summary>Configuration section.</summary>
    public const string SectionName = "Epsilon:Secrets";

    /// <summary>The key itself, 32 bytes in base64. Prefer <see cref="KeyFile"/>: configuration is often easier to read than a 0600 file.</summary>
    public string? Key { get; set; }

    /// <summary>A file holding the key, 32 bytes in base64 (scripts/setup.sh creates <c>/var/lib/epsilon/secrets.key</c>, mode 0600).</summary>
    public string? KeyFile { get; set; }

    /// <summary>Whether a key is configured.</summary>
    public bool Configured => !string.IsNullOrWhiteSpace(Key) || !string.IsNullOrWhiteSpace(KeyFile);

    /// <summary>The key's bytes, or why there are none (the message names the setting, never the key).</summary>
    internal (byte[]? Key, string? Problem) Resolve()
    {
        if (!string.IsNullOrWhiteSpace(Key) && !string.IsNullOrWhiteSpace(KeyFile))
        {
            return (null, $"set one of {SectionName}:Key and {SectionName}:KeyFile, not both");
        }

        string text;
        string setting;
        if (!string.IsNullOrWhiteSpace(KeyFile))
        {
            setting = $"{SectionName}:KeyFile ('{KeyFile}')";
            try
            {
                text = File.ReadAllText(KeyFile);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                return (null, $"{setting} cannot be read: {ex.Message}");
            }
        }
        else if (!string.IsNullOrWhiteSpace(Key))
        {
            setting = $"{SectionName}:Key";
            text = Key;
        }
        else
        {
            return (null, $"no key is configured: set {SectionName}:KeyFile (or {SectionName}:Key) on the builder and every gateway");
        }

        var bytes = new byte[64];
        return Convert.TryFromBase64String(text.Trim(), bytes, out var length) && length == SecretCipher.KeySize
            ? (bytes[..length], null)
            : (null, $"{setting} must hold {SecretCipher.KeySize} bytes in base64 (e.g. 'head -c 32 /dev/urandom | base64')");
    }
}
