namespace Epsilon.Cli;

/// <summary>What the <c>epsilon</c> command's exit status means; documented in the README and stable for scripts.</summary>
internal static class ExitCodes
{
    /// <summary>Done as asked.</summary>
    public const int Ok = 0;

    /// <summary>The platform refused or failed the operation: a deploy that failed, a function that answered 5xx, bad input it named.</summary>
    public const int Failed = 1;

    /// <summary>The command line itself is wrong (unknown verb or option, missing argument), or no builder is configured.</summary>
    public const int Usage = 2;

    /// <summary>The builder or gateway could not be reached, or its certificate did not verify.</summary>
    public const int Unreachable = 3;

    /// <summary>The token is missing, wrong, revoked, or lacks the scope (401 or 403).</summary>
    public const int Unauthorized = 4;

    /// <summary>What was named (function, deployment) does not exist.</summary>
    public const int NotFound = 5;
}
