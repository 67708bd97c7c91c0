using Epsilon.Core.Audit;

namespace Epsilon.Core.Store;

/// <summary>The audit log of control-plane actions: appended to, read newest first, trimmed by age. Nothing edits an entry.</summary>
public interface IAuditStore
{
    /// <summary>Appends <paramref name="entry"/>; returns it with its id.</summary>
    Task<AuditEntry> AppendAuditAsync(AuditEntry entry, CancellationToken cancellationToken = default);

    /// <summary>
    /// Up to <paramref name="limit"/> entries, newest first: those at or after <paramref name="since"/> when given, with an
    /// id below <paramref name="before"/> when given (the previous page's last id).
    /// </summary>
    Task<IReadOnlyList<AuditEntry>> ListAuditAsync(DateTimeOffset? since, long? before, int limit, CancellationToken cancellationToken = default);

    /// <summary>Deletes the entries older than <paramref name="cutoff"/> (retention); returns how many.</summary>
    Task<int> DeleteAuditBeforeAsync(DateTimeOffset cutoff, CancellationToken cancellationToken = default);
}
