namespace Epsilon.Core.Registry;

/// <summary>Where registry credentials come from.</summary>
public enum RegistryProvider
{
    /// <summary><see cref="RegistryOptions.Username"/> and <see cref="RegistryOptions.Password"/>, or none.</summary>
    Static,

    /// <summary>Amazon ECR: a token from <c>GetAuthorizationToken</c>, signed with the AWS credential chain and renewed before it expires.</summary>
    Ecr,
}
