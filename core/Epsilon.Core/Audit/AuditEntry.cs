namespace Epsilon.Core.Audit;

/// <summary>
/// One control-plane action as the audit log keeps it: who, what, when, from where and how it ended. Built from the
/// request's route and the caller's identity only, never from a body, a query string or a credential header.
/// </summary>
public sealed record AuditEntry
{
    /// <summary>Its position in the log, increasing; 0 until stored.</summary>
    public long Id { get; init; }

    /// <summary>When the action ended.</summary>
    public required DateTimeOffset At { get; init; }

    /// <summary>The id of the API token that made it (<c>tok-...</c>); null for a call without a known token.</summary>
    public string? ActorId { get; init; }

    /// <summary>
    /// Who made it: the token's name (the configured bootstrap token's is <c>bootstrap</c>), <c>anonymous</c> without a
    /// known token, or <c>loopback eserveless</c> / <c>allow-listed eserveless</c> for a tokenless eserveless deploy.
    /// </summary>
    public required string Actor { get; init; }

    /// <summary>The connection's remote address (not a forwarded-for header, which the caller writes).</summary>
    public string? Source { get; init; }

    /// <summary>The method and route template, e.g. <c>POST /functions/{name}/rollback</c>.</summary>
    public required string Action { get; init; }

    /// <summary>What it acted on: the route's values (<c>hello</c>, <c>hello/key-1</c>) or the resource it created; null when none.</summary>
    public string? Target { get; init; }

    /// <summary>The HTTP status it answered.</summary>
    public required int Status { get; init; }

    /// <summary>How it ended.</summary>
    public required AuditOutcome Outcome { get; init; }

    /// <summary>A short note, e.g. why a call was refused (<c>revoked token</c>); never a value the caller sent.</summary>
    public string? Detail { get; init; }
}
