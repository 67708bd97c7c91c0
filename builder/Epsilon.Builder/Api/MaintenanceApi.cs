using Epsilon.Builder.Auth;
using Epsilon.Builder.Garbage;
using Epsilon.Core.Auth;
using Epsilon.Core.Http;
using Epsilon.Core.Model;

namespace Epsilon.Builder.Api;

/// <summary><c>POST /maintenance/collect</c> (admin): one garbage collection pass now, as the timer runs it.</summary>
internal static class MaintenanceApi
{
    public static IEndpointRouteBuilder MapMaintenanceApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost("/maintenance/collect", CollectAsync).RequireScope(TokenScope.Admin);
        return endpoints;
    }

    /// <summary>Every function's garbage and old logs; with <c>?function=name</c>, that function's images only.</summary>
    private static async Task<IResult> CollectAsync(string? function, GarbageCollector collector, CancellationToken cancellationToken)
    {
        if (function is not null && !FunctionName.IsValid(function))
        {
            return ErrorResults.Create(StatusCodes.Status400BadRequest, "InvalidFunction", $"'{function}' is not a function name", field: "function");
        }

        return TypedResults.Json(await collector.CollectAsync(function, cancellationToken), BuilderJsonContext.Default.GarbageReport);
    }
}
