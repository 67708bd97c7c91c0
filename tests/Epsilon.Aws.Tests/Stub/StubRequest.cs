namespace Epsilon.Aws.Tests.Stub;

/// <summary>A request the stub received: which API, its headers (lower-case names), body, signature verdict and time.</summary>
internal sealed record StubRequest(string Api, string Method, string Path, IReadOnlyDictionary<string, string> Headers, byte[] Body,
    SignatureCheck? Signature, DateTimeOffset At)
{
    public string BodyText => System.Text.Encoding.UTF8.GetString(Body);

    /// <summary>The form fields of a Query-protocol body.</summary>
    public IReadOnlyDictionary<string, string> Form => BodyText.Split('&', StringSplitOptions.RemoveEmptyEntries)
        .Select(p => p.Split('=', 2)).ToDictionary(p => Uri.UnescapeDataString(p[0]), p => Uri.UnescapeDataString(p.Length > 1 ? p[1] : ""), StringComparer.Ordinal);
}
