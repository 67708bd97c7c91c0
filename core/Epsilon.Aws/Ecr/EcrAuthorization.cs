namespace Epsilon.Aws.Ecr;

/// <summary>An ECR registry login: the decoded <c>AWS:password</c> token, the registry it is for and when it expires.</summary>
internal sealed record EcrAuthorization(string Username, string Password, string ProxyEndpoint, DateTimeOffset ExpiresAt)
{
    /// <summary>The registry host the token is for (<c>123456789012.dkr.ecr.eu-west-1.amazonaws.com</c>).</summary>
    public string RegistryHost => Uri.TryCreate(ProxyEndpoint, UriKind.Absolute, out var uri) ? uri.Authority : ProxyEndpoint;

    /// <summary>Never the password.</summary>
    public override string ToString() => $"EcrAuthorization {{ Username = {Username}, ProxyEndpoint = {ProxyEndpoint}, ExpiresAt = {ExpiresAt:O} }}";
}
