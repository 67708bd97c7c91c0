namespace Epsilon.Core.Auth;

/// <summary>What an API token may do; each scope implies the ones below it.</summary>
public enum TokenScope
{
    /// <summary>Read functions, deployments and build logs.</summary>
    Read = 1,

    /// <summary>Deploy (optionally only named repositories), and read.</summary>
    Deploy = 2,

    /// <summary>Everything, including managing tokens.</summary>
    Admin = 3,
}
