namespace Epsilon.Cli.Configuration;

/// <summary>Where the builder is and how to talk to it: what <c>epsilon login</c> saves.</summary>
/// <param name="Url">The builder's base URL, e.g. <c>https://builder.example.com</c>.</param>
/// <param name="Token">The bearer token sent with every call, if any.</param>
/// <param name="CaFile">A PEM file of the CA that signed the builder's certificate, when it is not one the machine trusts.</param>
internal sealed record CliProfile(string? Url, string? Token, string? CaFile);
