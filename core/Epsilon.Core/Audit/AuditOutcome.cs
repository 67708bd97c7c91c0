namespace Epsilon.Core.Audit;

/// <summary>How a recorded control-plane action ended.</summary>
public enum AuditOutcome
{
    /// <summary>Answered with a 1xx-3xx status.</summary>
    Succeeded,

    /// <summary>Refused to its caller: 401 or 403.</summary>
    Denied,

    /// <summary>Any other error status (400, 404, 409, 422, 5xx).</summary>
    Failed,
}
