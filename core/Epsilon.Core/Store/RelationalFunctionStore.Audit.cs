using System.Text;
using Dapper;
using Epsilon.Core.Audit;

namespace Epsilon.Core.Store;

/// <summary>The audit log's queries: append, read newest first by id, trim by time.</summary>
internal abstract partial class RelationalFunctionStore
{
    private const string AuditColumns = "id, at, actor_id AS ActorId, actor, source, action, target, status, outcome, detail";

    public async Task<AuditEntry> AppendAuditAsync(AuditEntry entry, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entry);
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        var id = await connection.QueryScalarAsync<long>(new CommandDefinition(
            """
            INSERT INTO audit_log (at, actor_id, actor, source, action, target, status, outcome, detail)
            VALUES (@At, @ActorId, @Actor, @Source, @Action, @Target, @Status, @Outcome, @Detail) RETURNING id
            """,
            new
            {
                At = WriteTime(entry.At), entry.ActorId, entry.Actor, entry.Source, entry.Action, entry.Target, entry.Status,
                Outcome = entry.Outcome.ToString(), entry.Detail,
            },
            cancellationToken: cancellationToken)).ConfigureAwait(false);
        return entry with { Id = id };
    }

    public async Task<IReadOnlyList<AuditEntry>> ListAuditAsync(DateTimeOffset? since, long? before, int limit,
        CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        // Conditions are added only when given: PostgreSQL cannot type a parameter that is only ever compared with NULL.
        var sql = new StringBuilder($"SELECT {AuditColumns} FROM audit_log WHERE 1 = 1");
        if (since is not null)
        {
            sql.Append(" AND at >= @since");
        }

        if (before is not null)
        {
            sql.Append(" AND id < @before");
        }

        sql.Append(" ORDER BY id DESC LIMIT @limit");
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        var rows = await connection.QueryRowsAsync<AuditRow>(new CommandDefinition(
            sql.ToString(), new { since = since is { } value ? WriteTime(value) : null, before, limit }, cancellationToken: cancellationToken))
            .ConfigureAwait(false);
        return rows.Select(ToAuditEntry).ToList();
    }

    public async Task<int> DeleteAuditBeforeAsync(DateTimeOffset cutoff, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        return await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM audit_log WHERE at < @cutoff", new { cutoff = WriteTime(cutoff) }, cancellationToken: cancellationToken)).ConfigureAwait(false);
    }

    private AuditEntry ToAuditEntry(AuditRow row) => new()
    {
        Id = row.Id,
        At = ReadTime(row.At),
        ActorId = row.ActorId,
        Actor = row.Actor,
        Source = row.Source,
        Action = row.Action,
        Target = row.Target,
        Status = (int)row.Status,
        Outcome = Enum.Parse<AuditOutcome>(row.Outcome),
        Detail = row.Detail,
    };

    private sealed class AuditRow
    {
        public long Id { get; set; }
        public object At { get; set; } = "";
        public string? ActorId { get; set; }
        public string Actor { get; set; } = "";
        public string? Source { get; set; }
        public string Action { get; set; } = "";
        public string? Target { get; set; }
        public long Status { get; set; }
        public string Outcome { get; set; } = "";
        public string? Detail { get; set; }
    }
}
