namespace Epsilon.Builder.Api;

/// <summary>A page of the audit log, newest first.</summary>
/// <param name="Entries">The entries.</param>
/// <param name="NextBefore">What to pass as <c>?before=</c> for the next, older page; absent on the last page.</param>
public sealed record AuditPageResponse(IReadOnlyList<AuditEntryResponse> Entries, long? NextBefore);
