using System.Net;
using Epsilon.Builder.Auth;
using Epsilon.Core.Audit;
using Epsilon.Core.Store;

namespace Epsilon.Builder.Audit;

/// <summary>
/// Records every control-plane action in the audit log once its endpoint has answered: every call that is not a plain
/// read (anything but GET, HEAD and OPTIONS), and every refused call (401, 403) whatever its method. What it records comes
/// from the matched route, the caller's stored token and the connection, never from the body, the query string or a
/// credential header, so nothing a caller sends as a secret can reach the log.
/// </summary>
internal sealed partial class AuditMiddleware(RequestDelegate next, IAuditStore audit, TimeProvider timeProvider, ILogger<AuditMiddleware> logger)
{
    /// <summary>Longest action, target or detail kept: a path is the caller's text, and the log is no place for a novel.</summary>
    private const int MaxLength = 200;

    public async Task InvokeAsync(HttpContext context)
    {
        var failed = false;
        try
        {
            await next(context);
        }
        catch
        {
            failed = true;
            throw;
        }
        finally
        {
            // After the endpoint, so the status is known; the server turns an exception into a 500.
            var status = failed ? StatusCodes.Status500InternalServerError : context.Response.StatusCode;
            if (IsAudited(context.Request.Method, status))
            {
                await RecordAsync(context, status, failed);
            }
        }
    }

    /// <summary>Whether a call is a control-plane action the log keeps: not a plain read, or refused.</summary>
    public static bool IsAudited(string method, int status) =>
        status is StatusCodes.Status401Unauthorized or StatusCodes.Status403Forbidden
        || !(HttpMethods.IsGet(method) || HttpMethods.IsHead(method) || HttpMethods.IsOptions(method));

    private async Task RecordAsync(HttpContext context, int status, bool failed)
    {
        var entry = Describe(context, status, failed, timeProvider.GetUtcNow());
        try
        {
            // Not the request's token: an action whose caller went away still happened, and is recorded all the same.
            await audit.AppendAuditAsync(entry, CancellationToken.None);
        }
        catch (Exception ex)
        {
            // The action has already happened; answering it with an error would tell its caller it did not (and invite a
            // retry that repeats it), while the record would still be missing. The log line keeps what the row would have.
            Log.NotRecorded(logger, entry.Action, entry.Target, entry.Actor, entry.Status, ex);
        }
    }

    /// <summary>The entry for a call that answered <paramref name="status"/>.</summary>
    public static AuditEntry Describe(HttpContext context, int status, bool failed, DateTimeOffset at)
    {
        var source = context.Connection.RemoteIpAddress;
        if (source is { IsIPv4MappedToIPv6: true })
        {
            source = source.MapToIPv4();
        }

        var caller = context.Features.Get<ApiCaller>();
        var refused = context.Features.Get<RefusedCall>();
        var token = caller?.Token ?? refused?.Token;
        var endpoint = context.GetEndpoint() as RouteEndpoint;
        string actor = token?.Name ?? "anonymous";
        if (token is null && caller is not null && endpoint?.Metadata.GetMetadata<RequiredScope>() is { AllowListedSources: true })
        {
            // Let through without a token for its source address: eserveless's CLI, which sends none.
            actor = source is not null && IPAddress.IsLoopback(source) ? "loopback eserveless" : "allow-listed eserveless";
        }

        var method = context.Request.Method;
        return new AuditEntry
        {
            At = at,
            ActorId = token?.Id,
            Actor = actor,
            Source = source?.ToString(),
            Action = Clip(endpoint is null ? $"{method} (no endpoint)" : $"{method} {Template(endpoint)}")!,
            Target = Clip(endpoint is null ? context.Request.Path.Value : Target(context, endpoint, status)),
            Status = status,
            Outcome = status switch
            {
                StatusCodes.Status401Unauthorized or StatusCodes.Status403Forbidden => AuditOutcome.Denied,
                < 400 when !failed => AuditOutcome.Succeeded,
                _ => AuditOutcome.Failed,
            },
            Detail = Clip(failed
                ? context.RequestAborted.IsCancellationRequested ? "the caller went away" : "unhandled error"
                : refused?.Reason),
        };
    }

    private static string Template(RouteEndpoint endpoint)
    {
        var template = endpoint.RoutePattern.RawText ?? "";
        template = template.Length > 1 ? template.TrimEnd('/') : template;
        return template.StartsWith('/') ? template : "/" + template;
    }

    /// <summary>
    /// The route's values in order (<c>hello</c>, <c>hello/key-1</c>), then for a create the id at the end of its Location,
    /// so a key made on <c>hello</c> reads <c>hello/key-1</c> as its revocation does.
    /// </summary>
    private static string? Target(HttpContext context, RouteEndpoint endpoint, int status)
    {
        var values = endpoint.RoutePattern.Parameters
            .Select(p => context.Request.RouteValues.TryGetValue(p.Name, out var value) ? Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture) : null)
            .Where(v => !string.IsNullOrEmpty(v))
            .ToList();

        // Location is the builder's own answer (e.g. /tokens/tok-...), not the caller's text.
        var location = context.Response.Headers.Location.ToString();
        if (status is >= 200 and < 300 && location.Length > 0)
        {
            var path = Uri.TryCreate(location, UriKind.Absolute, out var absolute) ? absolute.AbsolutePath : location.Split('?', 2)[0];
            if (path.TrimEnd('/').Split('/')[^1] is { Length: > 0 } last && Uri.UnescapeDataString(last) is var created
                && (values.Count == 0 || values[^1] != created))
            {
                values.Add(created);
            }
        }

        return values.Count > 0 ? string.Join('/', values) : null;
    }

    private static string? Clip(string? value) => value is { Length: > MaxLength } ? value[..MaxLength] : value;

    private static partial class Log
    {
        [LoggerMessage(EventId = 3100, Level = LogLevel.Error,
            Message = "Could not record '{Action}' on '{Target}' by '{Actor}' (status {Status}) in the audit log; the call's answer stands.")]
        public static partial void NotRecorded(ILogger logger, string action, string? target, string actor, int status, Exception exception);
    }
}
