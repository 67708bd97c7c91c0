using System.Globalization;
using Epsilon.Builder.Auth;
using Epsilon.Core.Audit;
using Epsilon.Core.Auth;
using Epsilon.Core.Http;
using Epsilon.Core.Store;

namespace Epsilon.Builder.Api;

/// <summary><c>GET /audit</c> (admin): the audit log of control-plane actions, newest first, a page at a time.</summary>
internal static class AuditApi
{
    public const int DefaultLimit = 100;
    public const int MaxLimit = 1000;

    public static IEndpointRouteBuilder MapAuditApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/audit", ListAsync).RequireScope(TokenScope.Admin);
        return endpoints;
    }

    // The query's values are read as text and checked here, so a bad one answers in the platform's error shape.
    private static async Task<IResult> ListAsync(string? since, string? limit, string? before, IAuditStore audit, CancellationToken cancellationToken)
    {
        DateTimeOffset? from = null;
        if (!string.IsNullOrEmpty(since))
        {
            if (!DateTimeOffset.TryParse(since, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var parsed))
            {
                return ErrorResults.Create(StatusCodes.Status400BadRequest, "InvalidQuery", "since must be an ISO 8601 time like 2026-12-03T17:00:00Z",
                    field: "since");
            }

            from = parsed;
        }

        var count = DefaultLimit;
        if (!string.IsNullOrEmpty(limit) && (!int.TryParse(limit, NumberStyles.None, CultureInfo.InvariantCulture, out count) || count is < 1 or > MaxLimit))
        {
            return ErrorResults.Create(StatusCodes.Status400BadRequest, "InvalidQuery", $"limit must be a number from 1 to {MaxLimit}", field: "limit");
        }

        long? below = null;
        if (!string.IsNullOrEmpty(before))
        {
            if (!long.TryParse(before, NumberStyles.None, CultureInfo.InvariantCulture, out var id) || id < 1)
            {
                return ErrorResults.Create(StatusCodes.Status400BadRequest, "InvalidQuery", "before must be an entry's id", field: "before");
            }

            below = id;
        }

        // One more than asked tells whether an older page exists.
        var entries = await audit.ListAuditAsync(from, below, count + 1, cancellationToken);
        var page = entries.Take(count).Select(ToResponse).ToList();
        return TypedResults.Json(new AuditPageResponse(page, entries.Count > count ? page[^1].Id : null), BuilderJsonContext.Default.AuditPageResponse);
    }

    private static AuditEntryResponse ToResponse(AuditEntry entry) =>
        new(entry.Id, entry.At, entry.Actor, entry.ActorId, entry.Source, entry.Action, entry.Target, entry.Status,
            entry.Outcome.ToString().ToLowerInvariant(), entry.Detail);
}
