using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Epsilon.Runtime.Dotnet;

/// <summary>One call: its request id, its deadline, and whether the wrapper already answered it with a timeout.</summary>
internal sealed class Call(string requestId, int timeoutMs)
{
    private volatile bool _timedOut;

    public string RequestId { get; } = requestId;

    public DateTimeOffset Deadline { get; } = DateTimeOffset.UtcNow.AddMilliseconds(timeoutMs);

    public TimeSpan Remaining => Deadline - DateTimeOffset.UtcNow is { Ticks: > 0 } left ? left : TimeSpan.Zero;

    public bool TimedOut
    {
        get => _timedOut;
        set => _timedOut = value;
    }
}

internal static class Program
{
    private const string RequestIdHeader = "X-Epsilon-Request-Id";
    private const string TimedOutHeader = "X-Epsilon-Timed-Out";
    private const int BodyLimit = 6 * 1024 * 1024;

    public static async Task<int> Main(string[] args)
    {
        var mainStarted = Stopwatch.GetTimestamp();
        var settings = FunctionSettings.FromEnvironment();
        var check = args.Contains("--check");
        JsonLog.Install(settings.Name);
        var loadStarted = Stopwatch.GetTimestamp();
        HandlerMethod handler;
        try
        {
            handler = FunctionLoader.Load(settings);
        }
        catch (FunctionLoadException ex)
        {
            if (check)
            {
                JsonLog.WriteRaw($"epsilon: function '{settings.Name}': {ex.Message}", error: true);
            }
            else
            {
                JsonLog.Error($"epsilon: function '{settings.Name}' cannot load: {ex.Message}");
            }

            return 1;
        }

        var loadMs = Stopwatch.GetElapsedTime(loadStarted).TotalMilliseconds;
        if (check)
        {
            JsonLog.WriteRaw($"epsilon: function '{settings.Name}' ok ({settings.HandlerFile}, {handler.Description}, timeout {settings.TimeoutMs} ms)");
            return 0;
        }

        var serverStarted = Stopwatch.GetTimestamp();
        using var server = await StartServerAsync(settings, handler).ConfigureAwait(false);
        var serverMs = Stopwatch.GetElapsedTime(serverStarted).TotalMilliseconds;
        // Measured after the fact (reading /proc costs a few ms): process start (in a container: the runtime's fork of
        // the container's init, so container set-up counts) to Main, to ready.
        var sinceMain = Stopwatch.GetElapsedTime(mainStarted).TotalMilliseconds;
        var sinceStart = (DateTime.Now - Process.GetCurrentProcess().StartTime).TotalMilliseconds;
        var mainMs = sinceStart - sinceMain;
        JsonLog.Info(string.Create(CultureInfo.InvariantCulture,
            $"epsilon: function '{settings.Name}' ready on :{settings.Port} in {sinceStart:0} ms from process start "
            + $"(runtime {mainMs:0} ms, function load {loadMs:0} ms, server {serverMs:0} ms; {handler.Description})"));

        // SIGTERM/SIGINT: stop accepting, let the calls in flight end (at most 2 s), exit.
        using var stopping = new CancellationTokenSource();
        void Stop(PosixSignalContext context)
        {
            context.Cancel = true;
            stopping.Cancel();
        }

        using var term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
        try
        {
            await Task.Delay(Timeout.Infinite, stopping.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }

        using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        try
        {
            await server.StopAsync(grace.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }

        return 0;
    }

    /// <summary>
    /// Kestrel on its own, without the generic host (no configuration, no hosted services: ~50 ms less start-up). Calls
    /// get a root service provider with logging (JSON lines) and options, which is what IResult implementations ask for.
    /// </summary>
    private static async Task<KestrelServer> StartServerAsync(FunctionSettings settings, HandlerMethod handler)
    {
        var services = new ServiceCollection()
            .AddLogging(logging => logging
                .AddProvider(new JsonLoggerProvider())
                .SetMinimumLevel(LogLevel.Information)
                .AddFilter("Microsoft", LogLevel.Warning)
                .AddFilter("System", LogLevel.Warning))
            .AddOptions()
            .BuildServiceProvider();
        var loggerFactory = services.GetRequiredService<ILoggerFactory>();
        var options = new KestrelServerOptions { AddServerHeader = false, ApplicationServices = services };
        options.Limits.MaxRequestBodySize = BodyLimit;
        // Above the gateway's 30 s pool idle timeout, so the gateway always closes first.
        options.Limits.KeepAliveTimeout = TimeSpan.FromSeconds(65);
        options.Listen(IPAddress.Any, settings.Port);
        var transport = new SocketTransportFactory(Options.Create(new SocketTransportOptions()), loggerFactory);
        var server = new KestrelServer(Options.Create(options), transport, loggerFactory);
        var ready = ReadyBody(settings);
        await server.StartAsync(new Application(services, context =>
        {
            if (context.Request.Path.Value == "/_epsilon/ready" && HttpMethods.IsGet(context.Request.Method))
            {
                context.Response.ContentType = "application/json";
                context.Response.ContentLength = ready.Length;
                return context.Response.Body.WriteAsync(ready).AsTask();
            }

            return CallAsync(context, settings, handler);
        }), CancellationToken.None).ConfigureAwait(false);
        return server;
    }

    private sealed class Application(IServiceProvider services, RequestDelegate run) : IHttpApplication<HttpContext>
    {
        public HttpContext CreateContext(IFeatureCollection contextFeatures) => new DefaultHttpContext(contextFeatures) { RequestServices = services };

        public Task ProcessRequestAsync(HttpContext context) => run(context);

        public void DisposeContext(HttpContext context, Exception? exception)
        {
        }
    }

    /// <summary>One call of the function: request id, log context, the timeout, and the 500/504 answers.</summary>
    private static async Task CallAsync(HttpContext context, FunctionSettings settings, HandlerMethod handler)
    {
        var sent = context.Request.Headers[RequestIdHeader];
        var requestId = sent.Count == 1 && sent[0] is { Length: > 0 and <= 200 } id ? id : Guid.NewGuid().ToString();
        context.Response.Headers[RequestIdHeader] = requestId;
        JsonLog.RequestId = requestId;
        var call = new Call(requestId, settings.TimeoutMs);
        using var timeout = new CancellationTokenSource();
        using var aborted = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, timeout.Token);
        context.RequestAborted = aborted.Token;

        var work = RunAsync(context, settings, handler, call);
        try
        {
            await work.WaitAsync(TimeSpan.FromMilliseconds(settings.TimeoutMs)).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            call.TimedOut = true;
            var message = $"function '{settings.Name}' did not answer within {settings.TimeoutMs} ms";
            JsonLog.Error($"epsilon: {message}");
            await timeout.CancelAsync().ConfigureAwait(false);
            var response = context.Response;
            if (response.HasStarted)
            {
                context.Abort();
                return;
            }

            // The function may still be running and holding the HttpContext: the connection closes after this answer,
            // so Kestrel never hands this context to another request.
            await SendErrorAsync(context, requestId, StatusCodes.Status504GatewayTimeout, "FunctionTimedOut", message,
                (TimedOutHeader, "true"), ("Connection", "close")).ConfigureAwait(false);
        }
    }

    private static async Task RunAsync(HttpContext context, FunctionSettings settings, HandlerMethod handler, Call call)
    {
        try
        {
            if (handler.Style == "lambda")
            {
                await LambdaStyle.InvokeAsync(context, handler, call, settings).ConfigureAwait(false);
                return;
            }

            var result = await handler.InvokeAsync([context]).ConfigureAwait(false);
            if (call.TimedOut)
            {
                return;
            }

            if (result is IResult answer)
            {
                await answer.ExecuteAsync(context).ConfigureAwait(false);
            }
            else if (!context.Response.HasStarted && context.Response.StatusCode == StatusCodes.Status200OK)
            {
                // Returned without answering: 200 OK (keeping headers the handler set).
                context.Response.ContentType ??= "text/plain; charset=utf-8";
                await context.Response.WriteAsync("OK").ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (call.TimedOut)
        {
            // Cancelled by the timeout (the function observed context.RequestAborted): already answered 504.
        }
        catch (Exception ex) when (call.TimedOut)
        {
            JsonLog.Warn($"epsilon: function '{settings.Name}' failed after its timeout: {StackText(ex)}");
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The caller went away.
        }
        catch (Microsoft.AspNetCore.Http.BadHttpRequestException ex)
        {
            JsonLog.Warn($"epsilon: request refused ({ex.StatusCode}): {ex.Message}");
            if (context.Response.HasStarted)
            {
                context.Abort();
                return;
            }

            var code = ex.StatusCode == StatusCodes.Status413PayloadTooLarge ? "PayloadTooLarge" : "InvalidRequestBody";
            await SendErrorAsync(context, call.RequestId, ex.StatusCode, code, ex.Message, ("Connection", "close")).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            JsonLog.Error($"epsilon: function '{settings.Name}' threw {StackText(ex)}");
            if (context.Response.HasStarted)
            {
                context.Abort();
                return;
            }

            await SendErrorAsync(context, call.RequestId, StatusCodes.Status500InternalServerError, "FunctionError", ex.Message).ConfigureAwait(false);
        }
    }

    private static async Task SendErrorAsync(HttpContext context, string requestId, int status, string code, string message,
        params (string Name, string Value)[] headers)
    {
        var response = context.Response;
        try
        {
            response.Clear();
        }
        catch (InvalidOperationException)
        {
            context.Abort();
            return;
        }

        response.StatusCode = status;
        response.Headers[RequestIdHeader] = requestId;
        foreach (var (name, value) in headers)
        {
            response.Headers[name] = value;
        }

        var body = ErrorBody(code, message);
        response.ContentType = "application/json";
        response.ContentLength = body.Length;
        await response.Body.WriteAsync(body).ConfigureAwait(false);
        await response.CompleteAsync().ConfigureAwait(false);
    }

    /// <summary>The exception with its stack, without the reflection frames between the wrapper and the function.</summary>
    private static string StackText(Exception ex) => string.Join('\n', ex.ToString().Split('\n')
        .Where(line => !line.StartsWith("   at System.Reflection.", StringComparison.Ordinal) && !line.StartsWith("   at InvokeStub_", StringComparison.Ordinal)));

    private static byte[] ReadyBody(FunctionSettings settings)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(128);
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            json.WriteStartObject();
            json.WriteString("status", "ready");
            json.WriteString("function", settings.Name);
            json.WriteNumber("timeoutMs", settings.TimeoutMs);
            json.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    private static byte[] ErrorBody(string code, string message)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(64 + message.Length);
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            json.WriteStartObject();
            json.WriteStartObject("error");
            json.WriteString("code", code);
            json.WriteString("message", message);
            json.WriteEndObject();
            json.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }
}
