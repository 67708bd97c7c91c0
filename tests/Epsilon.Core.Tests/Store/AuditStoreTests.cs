using Epsilon.Core.Audit;

namespace Epsilon.Core.Store;

/// <summary>The audit log in the store, the same on every database: appended, read newest first a page at a time, trimmed by age.</summary>
public abstract class AuditStoreTests<TDatabase> : IDisposable
    where TDatabase : IStoreDatabase, new()
{
    // Whole milliseconds: PostgreSQL keeps microseconds, .NET ticks are finer.
    private static readonly DateTimeOffset s_start = new(2026, 12, 3, 17, 0, 0, 123, TimeSpan.Zero);

    private readonly TDatabase _database = new();

    public void Dispose()
    {
        _database.Dispose();
        GC.SuppressFinalize(this);
    }

    [Fact]
    public async Task AppendAuditAsync_ThenList_KeepsEveryFieldAndNumbersInOrder()
    {
        var audit = await OpenAsync();

        var first = await audit.AppendAuditAsync(Entry(s_start, "POST /tokens") with
        {
            ActorId = "tok-0123456789abcdef", Actor = "bootstrap", Source = "10.1.2.3", Target = "tok-fedcba9876543210", Status = 201,
        });
        var second = await audit.AppendAuditAsync(Entry(s_start.AddSeconds(1), "GET /audit") with
        {
            Status = 401, Outcome = AuditOutcome.Denied, Detail = "no token",
        });

        Assert.True(first.Id > 0);
        Assert.True(second.Id > first.Id);
        var listed = await audit.ListAuditAsync(since: null, before: null, limit: 10);
        Assert.Equal([second, first], listed);
        Assert.Null(listed[0].ActorId);
        Assert.Null(listed[0].Source);
        Assert.Null(listed[0].Target);
    }

    [Fact]
    public async Task ListAuditAsync_BeforeAndLimit_PageThroughNewestFirst()
    {
        var audit = await OpenAsync();
        var ids = new List<long>();
        for (var i = 0; i < 5; i++)
        {
            ids.Add((await audit.AppendAuditAsync(Entry(s_start.AddMinutes(i), $"DELETE /functions/{{name}} {i}"))).Id);
        }

        var page1 = await audit.ListAuditAsync(since: null, before: null, limit: 2);
        var page2 = await audit.ListAuditAsync(since: null, before: page1[^1].Id, limit: 2);
        var page3 = await audit.ListAuditAsync(since: null, before: page2[^1].Id, limit: 2);

        Assert.Equal([ids[4], ids[3]], page1.Select(e => e.Id));
        Assert.Equal([ids[2], ids[1]], page2.Select(e => e.Id));
        Assert.Equal([ids[0]], page3.Select(e => e.Id));
    }

    [Fact]
    public async Task ListAuditAsync_Since_KeepsThoseAtOrAfterIt()
    {
        var audit = await OpenAsync();
        for (var i = 0; i < 4; i++)
        {
            await audit.AppendAuditAsync(Entry(s_start.AddHours(i), $"POST /deployments {i}"));
        }

        var since = await audit.ListAuditAsync(since: s_start.AddHours(2), before: null, limit: 10);

        Assert.Equal([s_start.AddHours(3), s_start.AddHours(2)], since.Select(e => e.At));
    }

    [Fact]
    public async Task DeleteAuditBeforeAsync_RemovesOnlyOlderEntries()
    {
        var audit = await OpenAsync();
        await audit.AppendAuditAsync(Entry(s_start.AddDays(-91), "POST /tokens old"));
        await audit.AppendAuditAsync(Entry(s_start.AddDays(-90), "POST /tokens cutoff"));
        await audit.AppendAuditAsync(Entry(s_start, "POST /tokens new"));

        Assert.Equal(1, await audit.DeleteAuditBeforeAsync(s_start.AddDays(-90)));

        Assert.Equal(["POST /tokens new", "POST /tokens cutoff"], (await audit.ListAuditAsync(null, null, 10)).Select(e => e.Action));
        Assert.Equal(0, await audit.DeleteAuditBeforeAsync(s_start.AddDays(-90)));
    }

    private async Task<IAuditStore> OpenAsync() => (IAuditStore)await ((IStoreDatabase)_database).OpenStoreAsync();

    private static AuditEntry Entry(DateTimeOffset at, string action) => new()
    {
        At = at,
        Actor = "anonymous",
        Action = action,
        Status = 200,
        Outcome = AuditOutcome.Succeeded,
    };
}

/// <summary>The audit log tests on SQLite.</summary>
public sealed class SqliteAuditStoreTests : AuditStoreTests<SqliteStoreDatabase>;

/// <summary>The audit log tests on PostgreSQL.</summary>
public sealed class PostgresAuditStoreTests : AuditStoreTests<PostgresStoreDatabase>;
