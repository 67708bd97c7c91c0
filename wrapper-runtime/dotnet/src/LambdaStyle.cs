using System.Buffers;
using System.Globalization;
using System.Reflection;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Epsilon.Runtime.Dotnet;

/// <summary>
/// The lambda style: an AWS Lambda handler behind API Gateway's HTTP API (payload format 2.0), without the AWS packages.
/// <c>M(TEvent @event, TContext context)</c> (the context is optional) returning a value, Task&lt;T&gt;, ValueTask&lt;T&gt;, Task or void.
/// TEvent is read from the event's JSON (camelCase, case-insensitive): JsonElement, JsonNode, a class of your own shaped
/// like APIGatewayHttpApiV2ProxyRequest, string (the JSON text) or Stream. TContext: an interface of your own shaped like
/// ILambdaContext (answered by name: FunctionName, AwsRequestId, RemainingTime, MemoryLimitInMB, Logger, ...), a class read
/// from the context's JSON, JsonElement, or CancellationToken (cancelled at the timeout or when the caller goes).
/// The result, as JSON: an object with statusCode is the response (headers, multiValueHeaders, cookies, body,
/// isBase64Encoded); anything else is a 200 application/json body (a string as it is).
/// </summary>
internal static partial class LambdaStyle
{
    internal static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web) { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    private static readonly string[] s_months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
    private static readonly HashSet<string> s_skippedHeaders = new(StringComparer.OrdinalIgnoreCase) { "content-length", "transfer-encoding", "connection", "keep-alive" };
    private static readonly string? s_memoryLimit = MemoryLimitInMB();

    /// <summary>At load (and at build time): the event and context types can be made from an event.</summary>
    public static void Validate(HandlerMethod handler, FunctionSettings settings)
    {
        var types = handler.Parameters;
        var sample = SampleEvent(settings.Name);
        try
        {
            ConvertEvent(sample, types[0]);
        }
        catch (Exception ex) when (ex is JsonException or NotSupportedException or InvalidOperationException or ArgumentException)
        {
            throw new FunctionLoadException($"the event parameter of '{handler.Method.DeclaringType!.FullName}::{handler.Method.Name}' ({FunctionLoader.Pretty(types[0])}) "
                + $"cannot be read from an API Gateway HTTP API (v2) event: {ex.Message}");
        }

        if (types.Length == 2)
        {
            try
            {
                CreateContext(types[1], null, new Call("check", settings.TimeoutMs), settings);
            }
            catch (Exception ex) when (ex is JsonException or NotSupportedException or InvalidOperationException or ArgumentException)
            {
                throw new FunctionLoadException($"the context parameter of '{handler.Method.DeclaringType!.FullName}::{handler.Method.Name}' ({FunctionLoader.Pretty(types[1])}) "
                    + $"cannot be made: {ex.Message}");
            }
        }
    }

    public static async Task InvokeAsync(HttpContext context, HandlerMethod handler, Call call, FunctionSettings settings)
    {
        var body = await ReadBodyAsync(context.Request, context.RequestAborted).ConfigureAwait(false);
        if (call.TimedOut)
        {
            return;
        }

        var types = handler.Parameters;
        var arguments = new object?[types.Length];
        arguments[0] = ConvertEvent(BuildEvent(context, body, call, settings.Name), types[0]);
        if (types.Length == 2)
        {
            arguments[1] = CreateContext(types[1], context, call, settings);
        }

        var result = await handler.InvokeAsync(arguments).ConfigureAwait(false);
        if (call.TimedOut || context.Response.HasStarted)
        {
            return;
        }

        await WriteResultAsync(context.Response, result).ConfigureAwait(false);
    }

    private static async Task<byte[]> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (request.ContentLength == 0)
        {
            return [];
        }

        using var buffer = new MemoryStream(request.ContentLength is > 0 and < int.MaxValue ? (int)request.ContentLength.Value : 0);
        await request.Body.CopyToAsync(buffer, cancellationToken).ConfigureAwait(false);
        return buffer.ToArray();
    }

    /// <summary>The API Gateway HTTP API (v2) event of a request, as JSON.</summary>
    internal static byte[] BuildEvent(HttpContext context, byte[] body, Call call, string function)
    {
        var request = context.Request;
        var target = context.Features.Get<IHttpRequestFeature>()?.RawTarget;
        if (string.IsNullOrEmpty(target) || target[0] != '/')
        {
            target = request.PathBase.Add(request.Path).ToUriComponent() + request.QueryString.ToUriComponent();
        }

        var q = target.IndexOf('?', StringComparison.Ordinal);
        var rawPath = q < 0 ? target : target[..q];
        var rawQuery = q < 0 ? "" : target[(q + 1)..];

        // Lower-cased names, repeated headers comma-joined; cookies go to "cookies", not headers (as v2 does).
        var headers = new SortedDictionary<string, string>(StringComparer.Ordinal);
        List<string>? cookies = null;
        foreach (var (name, values) in request.Headers)
        {
            var lower = name.ToLowerInvariant();
            if (lower == "cookie")
            {
                cookies ??= [];
                foreach (var value in values)
                {
                    cookies.AddRange((value ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
                }
            }
            else
            {
                headers[lower] = string.Join(',', values.ToArray());
            }
        }

        // X-Forwarded-Host only from the gateway (a private peer). API Gateway's domainName is a host name: no port.
        var forwardedHost = IsTrustedProxy(context.Connection.RemoteIpAddress) ? request.Headers["X-Forwarded-Host"].FirstOrDefault()?.Split(',')[0].Trim() : null;
        var host = forwardedHost is { Length: > 0 } ? forwardedHost : request.Host.Value ?? "localhost";
        host = host.Count(c => c == ':') == 1 ? host[..host.IndexOf(':', StringComparison.Ordinal)] : host;
        var now = DateTimeOffset.UtcNow;
        var buffer = new ArrayBufferWriter<byte>(1024 + body.Length * 4 / 3);
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            json.WriteStartObject();
            json.WriteString("version", "2.0");
            json.WriteString("routeKey", "$default");
            json.WriteString("rawPath", rawPath);
            json.WriteString("rawQueryString", rawQuery);
            if (cookies is not null)
            {
                json.WriteStartArray("cookies");
                cookies.ForEach(json.WriteStringValue);
                json.WriteEndArray();
            }

            json.WriteStartObject("headers");
            foreach (var (name, value) in headers)
            {
                json.WriteString(name, value);
            }

            json.WriteEndObject();
            if (rawQuery.Length > 0)
            {
                json.WriteStartObject("queryStringParameters");
                foreach (var (name, value) in ParseQuery(rawQuery))
                {
                    json.WriteString(name, value);
                }

                json.WriteEndObject();
            }

            json.WriteStartObject("requestContext");
            json.WriteString("accountId", "epsilon");
            json.WriteString("apiId", function);
            json.WriteString("domainName", host);
            json.WriteString("domainPrefix", host.Split('.')[0]);
            json.WriteStartObject("http");
            json.WriteString("method", request.Method);
            json.WriteString("path", rawPath);
            json.WriteString("protocol", request.Protocol);
            json.WriteString("sourceIp", SourceIp(context));
            json.WriteString("userAgent", headers.GetValueOrDefault("user-agent", ""));
            json.WriteEndObject();
            json.WriteString("requestId", call.RequestId);
            json.WriteString("routeKey", "$default");
            json.WriteString("stage", "$default");
            json.WriteString("time", string.Create(CultureInfo.InvariantCulture,
                $"{now.Day:00}/{s_months[now.Month - 1]}/{now.Year}:{now.Hour:00}:{now.Minute:00}:{now.Second:00} +0000"));
            json.WriteNumber("timeEpoch", now.ToUnixTimeMilliseconds());
            json.WriteEndObject();
            if (body.Length > 0)
            {
                var text = TextType().IsMatch(request.ContentType ?? "");
                if (text)
                {
                    json.WriteString("body", Encoding.UTF8.GetString(body));
                }
                else
                {
                    json.WriteBase64String("body", body);
                }

                json.WriteBoolean("isBase64Encoded", !text);
            }
            else
            {
                json.WriteBoolean("isBase64Encoded", false);
            }

            json.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Query parameters as v2 gives them: decoded, a repeated name's values comma-joined, in order of first appearance.</summary>
    private static List<KeyValuePair<string, string>> ParseQuery(string query)
    {
        var result = new List<KeyValuePair<string, string>>();
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var part in query.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = part.IndexOf('=', StringComparison.Ordinal);
            var name = Decode(equals < 0 ? part : part[..equals]);
            var value = equals < 0 ? "" : Decode(part[(equals + 1)..]);
            if (index.TryGetValue(name, out var at))
            {
                result[at] = new(name, result[at].Value + "," + value);
            }
            else
            {
                index[name] = result.Count;
                result.Add(new(name, value));
            }
        }

        return result;

        static string Decode(string text)
        {
            try
            {
                return Uri.UnescapeDataString(text.Replace('+', ' '));
            }
            catch (UriFormatException)
            {
                return text;
            }
        }
    }

    /// <summary>
    /// The caller's address. From the gateway (a private peer), the last X-Forwarded-For entry that is not itself a private
    /// proxy: the gateway appends the address it was called from, and the entries before it are what the caller claimed.
    /// </summary>
    private static string SourceIp(HttpContext context)
    {
        var remote = Unmapped(context.Connection.RemoteIpAddress);
        if (!IsTrustedProxy(remote))
        {
            return remote?.ToString() ?? "";
        }

        var forwarded = string.Join(',', context.Request.Headers["X-Forwarded-For"].ToArray())
            .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        for (var i = forwarded.Length - 1; i >= 0; i--)
        {
            if (i == 0 || !(System.Net.IPAddress.TryParse(forwarded[i], out var address) && IsTrustedProxy(address)))
            {
                return forwarded[i];
            }
        }

        return remote?.ToString() ?? "";
    }

    /// <summary>Loopback, private, link-local and unique-local addresses: the gateway, on the private bridge network.</summary>
    private static bool IsTrustedProxy(System.Net.IPAddress? address)
    {
        address = Unmapped(address);
        if (address is null)
        {
            return false;
        }

        if (System.Net.IPAddress.IsLoopback(address))
        {
            return true;
        }

        var bytes = address.GetAddressBytes();
        return bytes.Length == 4
            ? bytes[0] == 10 || (bytes[0] == 172 && bytes[1] is >= 16 and <= 31) || (bytes[0] == 192 && bytes[1] == 168) || (bytes[0] == 169 && bytes[1] == 254)
            : (bytes[0] & 0xfe) == 0xfc || address.IsIPv6LinkLocal;
    }

    private static System.Net.IPAddress? Unmapped(System.Net.IPAddress? address) =>
        address is not null && address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;

    internal static object? ConvertEvent(byte[] json, Type type)
    {
        if (type == typeof(string))
        {
            return Encoding.UTF8.GetString(json);
        }

        if (type == typeof(byte[]))
        {
            return json;
        }

        if (type == typeof(Stream) || type == typeof(MemoryStream))
        {
            return new MemoryStream(json, writable: false);
        }

        return JsonSerializer.Deserialize(json, type, Options);
    }

    internal static object? CreateContext(Type type, HttpContext? http, Call call, FunctionSettings settings)
    {
        if (type == typeof(CancellationToken))
        {
            return http?.RequestAborted ?? CancellationToken.None;
        }

        if (type == typeof(HttpContext))
        {
            return http;
        }

        var values = new LambdaContextValues(settings, call, s_memoryLimit);
        if (type.IsInterface && type.Namespace?.StartsWith("System", StringComparison.Ordinal) != true)
        {
            var proxy = DispatchProxy.Create(type, typeof(LambdaContextProxy));
            ((LambdaContextProxy)proxy).Values = values;
            return proxy;
        }

        return JsonSerializer.Deserialize(values.ToJson(), type, Options);
    }

    /// <summary>Writes the handler's result as API Gateway would.</summary>
    internal static async Task WriteResultAsync(HttpResponse response, object? result)
    {
        byte[] body;
        if (result is null)
        {
            response.StatusCode = 200;
            response.ContentLength = 0;
            return;
        }

        var element = result switch
        {
            string => default,
            JsonElement e => e,
            JsonDocument d => d.RootElement,
            _ => JsonSerializer.SerializeToElement(result, result.GetType(), Options),
        };
        if (element.ValueKind is JsonValueKind.Null)
        {
            // A JSON null (a JsonElement, or what the result serialized to) answers as a null result does.
            response.StatusCode = 200;
            response.ContentLength = 0;
            return;
        }

        if (element.ValueKind == JsonValueKind.Object && Property(element, "statusCode") is { } status)
        {
            body = ApplyResponse(response, element, status);
        }
        else
        {
            // Without statusCode, API Gateway answers 200 application/json with the value as the body: a string as it
            // is (its characters, not its JSON), anything else as its JSON.
            body = result is string text ? Encoding.UTF8.GetBytes(text)
                : element.ValueKind == JsonValueKind.String ? Encoding.UTF8.GetBytes(element.GetString()!)
                : Encoding.UTF8.GetBytes(element.GetRawText());
            response.StatusCode = 200;
            response.ContentType = "application/json";
        }

        response.ContentLength = body.Length;
        if (body.Length > 0)
        {
            // Kestrel refuses any write, an empty one too, to a 204 or 304 answer.
            await response.Body.WriteAsync(body).ConfigureAwait(false);
        }
    }

    private static byte[] ApplyResponse(HttpResponse response, JsonElement result, JsonElement status)
    {
        int code;
        if (!(status.ValueKind == JsonValueKind.Number && status.TryGetInt32(out code))
            && !(status.ValueKind == JsonValueKind.String && int.TryParse(status.GetString(), NumberStyles.None, CultureInfo.InvariantCulture, out code)))
        {
            code = -1;
        }

        if (code is < 100 or > 599)
        {
            throw new InvalidOperationException($"the handler returned statusCode {status.GetRawText()}; expected an HTTP status (100-599)");
        }

        if (Property(result, "multiValueHeaders") is { ValueKind: JsonValueKind.Object } multi)
        {
            foreach (var header in multi.EnumerateObject().Where(h => !s_skippedHeaders.Contains(h.Name)))
            {
                response.Headers.Append(header.Name, Values(header.Value));
            }
        }

        if (Property(result, "headers") is { ValueKind: JsonValueKind.Object } headers)
        {
            foreach (var header in headers.EnumerateObject().Where(h => !s_skippedHeaders.Contains(h.Name) && h.Value.ValueKind != JsonValueKind.Null))
            {
                response.Headers[header.Name] = Values(header.Value);
            }
        }

        if (Property(result, "cookies") is { ValueKind: JsonValueKind.Array } cookies)
        {
            response.Headers.Append("Set-Cookie", Values(cookies));
        }

        response.StatusCode = code;
        var base64 = Property(result, "isBase64Encoded") is { ValueKind: JsonValueKind.True };
        return Property(result, "body") switch
        {
            null or { ValueKind: JsonValueKind.Null or JsonValueKind.Undefined } => [],
            { ValueKind: JsonValueKind.String } s when base64 => Convert.FromBase64String(s.GetString()!),
            { ValueKind: JsonValueKind.String } s => Encoding.UTF8.GetBytes(s.GetString()!),
            { } other => Encoding.UTF8.GetBytes(other.GetRawText()),
        };

        static string[] Values(JsonElement value) => value.ValueKind == JsonValueKind.Array
            ? value.EnumerateArray().Select(Scalar).ToArray()
            : [Scalar(value)];

        static string Scalar(JsonElement value) => value.ValueKind == JsonValueKind.String ? value.GetString()! : value.GetRawText();
    }

    private static JsonElement? Property(JsonElement element, string name)
    {
        if (element.TryGetProperty(name, out var exact))
        {
            return exact;
        }

        foreach (var property in element.EnumerateObject())
        {
            if (string.Equals(property.Name, name, StringComparison.OrdinalIgnoreCase))
            {
                return property.Value;
            }
        }

        return null;
    }

    private static byte[] SampleEvent(string function)
    {
        var context = new DefaultHttpContext();
        context.Request.Method = "GET";
        context.Request.Path = "/";
        context.Request.Host = new HostString("localhost");
        context.Request.Protocol = "HTTP/1.1";
        return BuildEvent(context, [], new Call("check", 1000), function);
    }

    /// <summary>The container's memory limit in MB (as Lambda's context gives it), or null when unlimited.</summary>
    private static string? MemoryLimitInMB()
    {
        foreach (var file in (string[])["/sys/fs/cgroup/memory.max", "/sys/fs/cgroup/memory/memory.limit_in_bytes"])
        {
            try
            {
                var text = File.ReadAllText(file).Trim();
                if (long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var bytes) && bytes > 0 && bytes < (1L << 50))
                {
                    return (bytes / (1024 * 1024)).ToString(CultureInfo.InvariantCulture);
                }

                return null;
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // not this cgroup version
            }
        }

        return null;
    }

    // Text bodies are passed as text, anything else (or no content type) base64-encoded, as API Gateway does.
    [GeneratedRegex(@"^(text/|application/(json|([\w.+-]+\+json)|xml|([\w.+-]+\+xml)|javascript|ecmascript|x-www-form-urlencoded|graphql|x-ndjson|yaml|x-yaml)\b)",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex TextType();
}

/// <summary>What a call's Lambda context says.</summary>
internal sealed class LambdaContextValues(FunctionSettings settings, Call call, string? memoryLimitInMB)
{
    public string FunctionName => settings.Name;

    public string AwsRequestId => call.RequestId;

    public string InvokedFunctionArn => $"arn:aws:lambda:epsilon:000000000000:function:{settings.Name}";

    public string? MemoryLimitInMB => memoryLimitInMB;

    public TimeSpan RemainingTime => call.Remaining;

    public DateTimeOffset Deadline => call.Deadline;

    public object? Get(string member) => member.ToLowerInvariant() switch
    {
        "functionname" => FunctionName,
        "functionversion" => "$LATEST",
        "invokedfunctionarn" => InvokedFunctionArn,
        "memorylimitinmb" => MemoryLimitInMB,
        "awsrequestid" or "requestid" => AwsRequestId,
        "loggroupname" => $"/aws/lambda/{settings.Name}",
        "logstreamname" => $"epsilon/{Environment.ProcessId}",
        "remainingtime" => RemainingTime,
        "remainingtimeinmillis" => (long)RemainingTime.TotalMilliseconds,
        "deadline" => Deadline,
        "deadlinems" => Deadline.ToUnixTimeMilliseconds(),
        _ => null,
    };

    public byte[] ToJson()
    {
        var node = new JsonObject
        {
            ["functionName"] = FunctionName,
            ["functionVersion"] = "$LATEST",
            ["invokedFunctionArn"] = InvokedFunctionArn,
            ["memoryLimitInMB"] = MemoryLimitInMB is null ? null : int.Parse(MemoryLimitInMB, CultureInfo.InvariantCulture),
            ["awsRequestId"] = AwsRequestId,
            ["requestId"] = AwsRequestId,
            ["logGroupName"] = (string?)Get("loggroupname"),
            ["logStreamName"] = (string?)Get("logstreamname"),
            ["remainingTimeInMillis"] = (long)RemainingTime.TotalMilliseconds,
            ["remainingTime"] = RemainingTime.ToString("c", CultureInfo.InvariantCulture),
            ["deadlineMs"] = Deadline.ToUnixTimeMilliseconds(),
        };
        return JsonSerializer.SerializeToUtf8Bytes(node, LambdaStyle.Options);
    }
}

/// <summary>Answers a context interface of the function's own (shaped like ILambdaContext) by member name.</summary>
public class LambdaContextProxy : DispatchProxy
{
    internal LambdaContextValues? Values { get; set; }

    protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
    {
        if (targetMethod is null || Values is null)
        {
            return null;
        }

        var name = targetMethod.Name;
        name = name.StartsWith("get_", StringComparison.Ordinal) ? name[4..]
            : name.StartsWith("Get", StringComparison.Ordinal) && args is not { Length: > 0 } ? name[3..]
            : name;
        if (name == "Logger" && targetMethod.ReturnType.IsInterface)
        {
            return DispatchProxy.Create(targetMethod.ReturnType, typeof(LambdaLoggerProxy));
        }

        return Coerce(Values.Get(name), targetMethod.ReturnType);
    }

    internal static object? Coerce(object? value, Type type)
    {
        if (type == typeof(void))
        {
            return null;
        }

        var underlying = Nullable.GetUnderlyingType(type) ?? type;
        if (value is null)
        {
            return type.IsValueType && Nullable.GetUnderlyingType(type) is null ? Activator.CreateInstance(type) : null;
        }

        if (type.IsInstanceOfType(value))
        {
            return value;
        }

        if (underlying == typeof(string))
        {
            return Convert.ToString(value, CultureInfo.InvariantCulture);
        }

        if (value is TimeSpan span)
        {
            value = (long)span.TotalMilliseconds;
        }

        if (underlying == typeof(TimeSpan))
        {
            return value is IConvertible ms ? TimeSpan.FromMilliseconds(ms.ToDouble(CultureInfo.InvariantCulture)) : TimeSpan.Zero;
        }

        try
        {
            return Convert.ChangeType(value, underlying, CultureInfo.InvariantCulture);
        }
        catch (Exception ex) when (ex is InvalidCastException or FormatException or OverflowException)
        {
            return type.IsValueType ? Activator.CreateInstance(type) : null;
        }
    }
}

/// <summary>Answers a logger interface (shaped like ILambdaLogger): every call with a string logs it as one line.</summary>
public class LambdaLoggerProxy : DispatchProxy
{
    protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
    {
        if (targetMethod is null)
        {
            return null;
        }

        var message = args?.OfType<string>().LastOrDefault();
        if (message is not null)
        {
            var name = targetMethod.Name;
            var level = name.Contains("Error", StringComparison.Ordinal) || name.Contains("Critical", StringComparison.Ordinal) ? "error"
                : name.Contains("Warn", StringComparison.Ordinal) ? "warn"
                : name.Contains("Debug", StringComparison.Ordinal) || name.Contains("Trace", StringComparison.Ordinal) ? "debug"
                : "info";
            JsonLog.Write(level, message);
        }

        return LambdaContextProxy.Coerce(null, targetMethod.ReturnType);
    }
}
