namespace Epsilon.Builder.Api;

/// <summary>One control-plane action as <c>GET /audit</c> shows it.</summary>
/// <param name="Id">Its position in the log, increasing; what <c>?before=</c> takes.</param>
/// <param name="At">When it ended.</param>
/// <param name="Actor">The token's name, <c>anonymous</c>, or <c>loopback eserveless</c> / <c>allow-listed eserveless</c>.</param>
/// <param name="ActorId">The token's id, when the call carried a stored token.</param>
/// <param name="Source">The connection's remote address.</param>
/// <param name="Action">The method and route template, e.g. <c>POST /functions/{name}/rollback</c>.</param>
/// <param name="Target">The route's values (<c>hello</c>) or the id of what it created.</param>
/// <param name="Status">The HTTP status it answered.</param>
/// <param name="Outcome"><c>succeeded</c>, <c>denied</c> or <c>failed</c>.</param>
/// <param name="Detail">A short note, e.g. why a call was refused.</param>
public sealed record AuditEntryResponse(long Id, DateTimeOffset At, string Actor, string? ActorId, string? Source, string Action, string? Target,
    int Status, string Outcome, string? Detail);
