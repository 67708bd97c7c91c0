using System.Net;
using Epsilon.Core.Auth;
using Epsilon.Core.Contracts;
using Epsilon.Core.Http;
using Epsilon.Core.Manifest;
using Epsilon.Core.Model;
using Epsilon.Gateway.Containers;
using Epsilon.Gateway.Fleet;
using Epsilon.Gateway.Functions;
using Epsilon.Gateway.Pooling;
using Microsoft.Extensions.Options;
using Yarp.ReverseProxy.Forwarder;

namespace Epsilon.Gateway.Invocation;

/// <summary>
/// Serves <c>/{function}[@{alias|vN}]/{**rest}</c> and Host routes: finds the version the call reaches (live, a canary
/// split's side, an alias or a named version), takes a container slot (cold starting when
/// needed), forwards the call with YARP's <see cref="IHttpForwarder"/> under the function's timeout, and tells the pool
/// how the container fared.
/// </summary>
internal sealed partial class InvocationHandler : IDisposable
{
    /// <summary>The header a caller of a function that is not public sends its key in (never the query string, which logs keep).</summary>
    public const string FunctionKeyHeader = "X-Epsilon-Key";

    private readonly FunctionTableProvider _table;
    private readonly FunctionPools _pools;
    private readonly IHttpForwarder _forwarder;
    private readonly GatewayOptions _options;
    private readonly GatewayMetrics _metrics;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger<InvocationHandler> _logger;
    private readonly FleetMembership _membership;
    private readonly FleetSaturation _saturation;
    private readonly PeerForwarder _peers;
    private readonly InFlightCalls _inFlight;
    private readonly HttpMessageInvoker _client;
    private readonly ForwarderRequestConfig _requestConfig = new() { ActivityTimeout = Timeout.InfiniteTimeSpan };

    public InvocationHandler(FunctionTableProvider table, FunctionPools pools, IHttpForwarder forwarder, IOptions<GatewayOptions> options,
        GatewayMetrics metrics, TimeProvider timeProvider, FleetMembership membership, FleetSaturation saturation, PeerForwarder peers,
        InFlightCalls inFlight, ILogger<InvocationHandler> logger)
    {
        _membership = membership;
        _saturation = saturation;
        _peers = peers;
        _inFlight = inFlight;
        _table = table;
        _pools = pools;
        _forwarder = forwarder;
        _options = options.Value;
        _metrics = metrics;
        _timeProvider = timeProvider;
        _logger = logger;
        _client = new HttpMessageInvoker(new SocketsHttpHandler
        {
            UseProxy = false,
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.None,
            UseCookies = false,
            ActivityHeadersPropagator = null,
            ConnectTimeout = TimeSpan.FromSeconds(5),
            PooledConnectionIdleTimeout = TimeSpan.FromSeconds(30),
        });
    }

    /// <summary>Serves <c>/{function}[@{alias|vN}]/{**rest}</c> and eserveless's <c>/invoke/{project}/{function}/{**rest}</c>.</summary>
    public Task InvokeAsync(HttpContext context)
    {
        // eserveless's route names a project and one of its functions, which the builder deployed under one name.
        if (context.GetRouteValue("project") is string project)
        {
            var name = (string)context.GetRouteValue("function")!;
            // A part of no letter or digit (/invoke/..%2f../fn) folds away in the joined name, which would reach another function.
            var named = project.Any(char.IsAsciiLetterOrDigit) && name.Any(char.IsAsciiLetterOrDigit)
                ? new CallTarget(EserverlessNames.FunctionName(project, name), null)
                : (CallTarget?)null;
            return InvokeAsync(context, named, 3, $"/invoke/{project}/{name}");
        }

        var segment = (string)context.GetRouteValue("function")!;
        return InvokeAsync(context, CallTarget.FromSegment(segment), 1, "/" + segment);
    }

    /// <summary>Answers a path that names no function (<c>/</c>, <c>//fn</c>) as the other routes answer one: 404 FunctionNotFound.</summary>
    public Task InvokeNothingAsync(HttpContext context) => InvokeAsync(context, null, 0, "");

    /// <summary>Serves <c>Host: {function}.{base}</c> and <c>Host: {alias|vN}.{function}.{base}</c>: the whole path is the function's.</summary>
    public Task InvokeByHostAsync(HttpContext context) =>
        InvokeAsync(context, CallTarget.FromHost(context.Request.Host.Host, _options.BaseDomain), 0, "");

    private async Task InvokeAsync(HttpContext context, CallTarget? target, int prefixSegments, string prefix)
    {
        using var counted = _inFlight.Enter();
        var function = target?.Function ?? "";
        var requestId = RequestIds.FromCaller(context.Request.Headers[WrapperHeaders.RequestId].ToString());
        var started = _timeProvider.GetTimestamp();
        if (context.Request.ContentLength > _options.MaxRequestBodySize)
        {
            // Refused before any container sees it: Kestrel would only cut it off once read, mid-call.
            await WriteErrorAsync(context, requestId, StatusCodes.Status413PayloadTooLarge, "PayloadTooLarge",
                $"the request body of {context.Request.ContentLength} bytes is larger than the limit of {_options.MaxRequestBodySize} bytes");
            return;
        }

        var live = target is not null && FunctionName.IsValid(function) ? await _table.FindAsync(function, context.RequestAborted) : null;
        if (target is not { } named || live is null)
        {
            await WriteErrorAsync(context, requestId, StatusCodes.Status404NotFound, "FunctionNotFound", target is null
                ? $"'{context.Request.Host.Host}{context.Request.Path}' names no function"
                : $"function '{function}' does not exist");
            return;
        }

        var version = await ResolveAsync(context, named, live);
        if (version is null)
        {
            var (code, what) = AliasName.LooksLikeVersion(named.Selector ?? "") ? ("VersionNotFound", "ready version") : ("AliasNotFound", "alias");
            await WriteErrorAsync(context, requestId, StatusCodes.Status404NotFound, code, $"function '{function}' has no {what} '{named.Selector}'");
            return;
        }

        // A function that is not public answers only calls with one of its keys: checked here, on every gateway a call
        // passes (a forwarded call carries the key on), against the table's snapshot of key hashes. A version named
        // directly cannot open a function that is private now because it was public then.
        var headers = context.Request.Headers;
        if (!version.Config.Public || !live.Config.Public)
        {
            var key = headers[FunctionKeyHeader].ToString();
            if (key.Length == 0)
            {
                await WriteErrorAsync(context, requestId, StatusCodes.Status401Unauthorized, "FunctionKeyRequired",
                    $"function '{function}' needs a key in the {FunctionKeyHeader} header");
                return;
            }

            if (!await _table.HasKeyAsync(function, TokenSecret.Hash(key), context.RequestAborted))
            {
                await WriteErrorAsync(context, requestId, StatusCodes.Status403Forbidden, "FunctionKeyRejected",
                    $"the key is not valid for function '{function}'");
                return;
            }
        }

        // Fleet routing: the function's home gateway serves it, or the next of its ranking while the ones before are full.
        var forwarded = headers.Remove(FleetHeaders.ForwardedBy);
        var balancerHome = headers.Remove(FleetHeaders.Home, out var home) && home == "1";
        var route = _membership.RoutesToHome
            ? SpilloverRouter.Route(function, _membership.SelfId, _membership.View.Peers, _saturation, forwarded, balancerHome)
            : RouteDecision.Local;
        if (route.Peer is { } peer)
        {
            // The peer must pick what this gateway would: the same caller key, as it sees this gateway's address, not the
            // caller's. (The path and the Host go on unchanged, so a selector or a Host route names the same target there.)
            if (headers[CanarySplit.CallerHeader].Count == 0)
            {
                headers[CanarySplit.CallerHeader] = CanarySplit.CallerKey(context);
            }

            if (await _peers.ForwardAsync(context, peer, function))
            {
                _metrics.Forwarded(function, route.Spilled);
                return;
            }
        }
        else if (route.Spilled)
        {
            _metrics.SpilledHere(function);
        }

        // The key is the caller's secret, not the function's business.
        headers.Remove(FunctionKeyHeader);
        var direct = named.Selector is not null;
        var pool = _pools.Get(version, direct);
        // Full when the call arrived, so it waits here: the sender should send the next ones past this gateway.
        var arrivedSaturated = forwarded && pool.IsSaturated;
        var result = await pool.AcquireAsync(_options.QueueTimeout, context.RequestAborted);
        // Retired under the call (live or the alias moved, an idle direct pool went): what the target names now serves it.
        if (result.Error == AcquireError.VersionRetired && await _table.FindAsync(function, context.RequestAborted) is { } liveNow
            && await ResolveAsync(context, named, liveNow) is { } now)
        {
            pool = _pools.Get(now, direct);
            result = await pool.AcquireAsync(_options.QueueTimeout, context.RequestAborted);
        }

        if (result.Container is not { } container)
        {
            _metrics.Rejected(function, result.Error);
            var (status, code) = result.Error switch
            {
                AcquireError.ColdStartFailed => (StatusCodes.Status502BadGateway, "ColdStartFailed"),
                _ => (StatusCodes.Status429TooManyRequests, "TooManyRequests"),
            };
            await WriteErrorAsync(context, requestId, status, code, result.Message ?? "no container is available",
                retryAfter: status == StatusCodes.Status429TooManyRequests, saturated: forwarded);
            return;
        }

        // Nothing that can throw between taking the slot and the try whose finally gives it back.
        var disposition = ReleaseDisposition.Healthy;
        try
        {
            if (result.ColdStart)
            {
                _metrics.ColdStart(function, _timeProvider.GetElapsedTime(started));
            }

            if (arrivedSaturated)
            {
                // Tell the sender to pass this gateway over for the function for a while: its overflow goes to the next one.
                context.Response.Headers[FleetHeaders.Saturated] = "1";
            }

            var invocation = new InvocationFeature(function, requestId, prefixSegments, prefix) { Version = pool.Version.Version };
            context.Features.Set(invocation);
            disposition = await ForwardAsync(context, container, invocation);
        }
        finally
        {
            pool.Release(container, disposition);
            _metrics.Invoked(function, context.Response.StatusCode, _timeProvider.GetElapsedTime(started));
        }
    }

    /// <summary>Sends the call to <paramref name="container"/> under its timeout and tells how the container fared.</summary>
    private async Task<ReleaseDisposition> ForwardAsync(HttpContext context, FunctionContainer container, InvocationFeature invocation)
    {
        var (function, requestId) = (invocation.Function, invocation.RequestId);
        // The container's timeout is clamped to MaxTimeout at its start, so this neither overflows nor passes a timer's range.
        var limit = container.Timeout + _options.TimeoutGrace;
        using var timeout = new CancellationTokenSource(limit, _timeProvider);
        using var call = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, timeout.Token);
        var error = await _forwarder.SendAsync(context, container.Endpoint!, _client, _requestConfig, FunctionRequestTransformer.Instance, call.Token);
        var timedOut = timeout.IsCancellationRequested && !context.RequestAborted.IsCancellationRequested;
        if (timedOut)
        {
            Log.TimedOut(_logger, function, requestId, container.Timeout.TotalMilliseconds);
            if (!context.Response.HasStarted)
            {
                await WriteErrorAsync(context, requestId, StatusCodes.Status504GatewayTimeout, "FunctionTimedOut",
                    $"function '{function}' did not answer within {container.Timeout.TotalMilliseconds:0} ms");
            }

            return ReleaseDisposition.Retire;
        }

        if (invocation.TimedOutInside)
        {
            return ReleaseDisposition.Retire;
        }

        if (error == ForwarderError.None || context.RequestAborted.IsCancellationRequested)
        {
            return ReleaseDisposition.Healthy;
        }

        if (IsClientError(error))
        {
            // A body past Kestrel's limit (sent without a length) ends as the caller's error: say so as a 413, not YARP's 400.
            if (!context.Response.HasStarted && context.GetForwarderErrorFeature()?.Exception is { } exception
                && FindBadRequest(exception) is { StatusCode: StatusCodes.Status413PayloadTooLarge })
            {
                await WriteErrorAsync(context, requestId, StatusCodes.Status413PayloadTooLarge, "PayloadTooLarge",
                    $"the request body is larger than the limit of {_options.MaxRequestBodySize} bytes");
            }

            return ReleaseDisposition.Healthy;
        }

        return await CrashedAsync(context, container, invocation, error);
    }

    /// <summary>
    /// The call failed on the container's side. A caller can make a connection close (a body the wrapper refuses, a handler
    /// that drops its socket), so the container is replaced only once its process is known to have stopped: by its exit
    /// watch, within <see cref="CrashConfirmation"/>. One that cannot be connected to is replaced too; one whose process
    /// runs on keeps serving.
    /// </summary>
    private async Task<ReleaseDisposition> CrashedAsync(HttpContext context, FunctionContainer container, InvocationFeature invocation, ForwarderError error)
    {
        var (function, requestId) = (invocation.Function, invocation.RequestId);
        var exited = container.Exited is { } watch
            && await Task.WhenAny(watch, Task.Delay(CrashConfirmation, _timeProvider)).ConfigureAwait(false) == watch;
        var unreachable = !exited && error == ForwarderError.Request && context.GetForwarderErrorFeature()?.Exception is HttpRequestException
            { HttpRequestError: HttpRequestError.ConnectionError };
        string code, message;
        ReleaseDisposition disposition;
        if (exited && container.Exited!.Result is { OutOfMemory: true })
        {
            (code, disposition) = ("FunctionOutOfMemory", ReleaseDisposition.Dead);
            message = $"function '{function}' ran out of memory: it passed its limit of {Units.FormatMemory(container.Version.Config.MemoryBytes)} and was stopped";
            Log.OutOfMemory(_logger, function, requestId, container.Version.Config.MemoryBytes);
        }
        else if (exited)
        {
            (code, disposition) = ("FunctionCrashed", ReleaseDisposition.Dead);
            message = $"function '{function}' ended without answering: its process exited (code {container.Exited!.Result.ExitCode})";
            Log.Crashed(_logger, function, requestId, error);
        }
        else
        {
            (code, disposition) = ("FunctionCallFailed", unreachable ? ReleaseDisposition.Retire : ReleaseDisposition.Healthy);
            message = $"function '{function}' closed the connection without a complete answer";
            Log.CallFailed(_logger, function, requestId, error, unreachable);
        }

        if (!context.Response.HasStarted)
        {
            await WriteErrorAsync(context, requestId, StatusCodes.Status502BadGateway, code, message);
        }

        return disposition;
    }

    /// <summary>How long a failed call waits to learn whether the container's process stopped.</summary>
    internal static readonly TimeSpan CrashConfirmation = TimeSpan.FromSeconds(1);

    private static BadHttpRequestException? FindBadRequest(Exception? exception)
    {
        for (; exception is not null; exception = exception.InnerException)
        {
            if (exception is BadHttpRequestException bad)
            {
                return bad;
            }
        }

        return null;
    }

    /// <summary>
    /// The version <paramref name="target"/> reaches: a version it names, or its alias (live when it names none), a
    /// weighted one split by the caller's bucket. Null when the function has no such alias or ready version.
    /// </summary>
    private async ValueTask<FunctionVersion?> ResolveAsync(HttpContext context, CallTarget target, FunctionVersion live)
    {
        if (target.NamesVersion(out var number))
        {
            return await _table.FindVersionAsync(target.Function, number, context.RequestAborted);
        }

        var alias = target.Selector ?? AliasName.Live;
        if (_table.Current.FindAlias(target.Function, alias) is { } route)
        {
            return route.Versions.Count == 1 ? route.Versions[0] : route.Pick(CanarySplit.Bucket(target.Function, CanarySplit.CallerKey(context)));
        }

        return alias == AliasName.Live ? live : null;
    }

    /// <summary>
    /// Failures on the caller's side of the call, or cancellations: they say nothing about the container, which goes on
    /// serving. (A caller hanging up mid-answer is ResponseBodyCanceled; taking that for a crash would kill a healthy
    /// container and every other call on it.)
    /// </summary>
    internal static bool IsClientError(ForwarderError error) =>
        error is ForwarderError.RequestCanceled or ForwarderError.RequestBodyCanceled or ForwarderError.ResponseBodyCanceled
            or ForwarderError.UpgradeRequestCanceled or ForwarderError.UpgradeResponseCanceled
            or ForwarderError.RequestBodyClient or ForwarderError.ResponseBodyClient
            or ForwarderError.UpgradeRequestClient or ForwarderError.UpgradeResponseClient;

    private static Task WriteErrorAsync(HttpContext context, string requestId, int status, string code, string message, bool retryAfter = false,
        bool saturated = false)
    {
        context.Response.Clear();
        context.Response.Headers[WrapperHeaders.RequestId] = requestId;
        if (saturated)
        {
            context.Response.Headers[FleetHeaders.Saturated] = "1";
        }

        if (retryAfter)
        {
            context.Response.Headers.RetryAfter = "1";
        }

        return ErrorResults.Create(status, code, message).ExecuteAsync(context);
    }

    public void Dispose() => _client.Dispose();

    private static partial class Log
    {
        [LoggerMessage(EventId = 4000, Level = LogLevel.Warning, Message = "Call '{RequestId}' to function '{Function}' timed out after {TimeoutMs} ms; its container is replaced.")]
        public static partial void TimedOut(ILogger logger, string function, string requestId, double timeoutMs);

        [LoggerMessage(EventId = 4001, Level = LogLevel.Warning, Message = "Call '{RequestId}' to function '{Function}' failed ({Error}); its container is replaced.")]
        public static partial void Crashed(ILogger logger, string function, string requestId, ForwarderError error);

        [LoggerMessage(EventId = 4002, Level = LogLevel.Warning, Message = "Call '{RequestId}' to function '{Function}' ran its container out of memory (limit {MemoryBytes} bytes); its container is replaced.")]
        public static partial void OutOfMemory(ILogger logger, string function, string requestId, long memoryBytes);

        [LoggerMessage(EventId = 4003, Level = LogLevel.Warning, Message = "Call '{RequestId}' to function '{Function}' failed ({Error}) while its process ran on; container replaced: {Replaced}.")]
        public static partial void CallFailed(ILogger logger, string function, string requestId, ForwarderError error, bool replaced);
    }
}
