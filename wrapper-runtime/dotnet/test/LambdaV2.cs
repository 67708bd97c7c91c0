// The shared golden cases of wrapper-runtime/fixtures/lambda-v2 (see its README) against the host run.sh started with
// Fixtures.LambdaV2::Handle: each case's request sent byte for byte, the event the handler was given compared with the
// case's, and each case's result compared with the answer the host sends for it. A file-based app:
//   dotnet run LambdaV2.cs -- <port> <cases folder>
// prints one "ok - ..." or "not ok - ... | why" line per check (run.sh counts them) and exits 1 when one failed.
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

var port = int.Parse(args[0]);
var cases = Directory.GetFiles(args[1], "*.json").Order(StringComparer.Ordinal).ToList();
var failed = 0;
void Report(string name, List<string> problems)
{
    if (problems.Count == 0)
    {
        Console.WriteLine($"ok - {name}");
        return;
    }

    failed++;
    Console.WriteLine($"not ok - {name} | {string.Join("; ", problems)}");
}

Report("lambda-v2: there are cases", cases.Count >= 5 ? [] : [$"{cases.Count} cases in {args[1]}"]);
foreach (var file in cases)
{
    var name = Path.GetFileNameWithoutExtension(file);
    using var document = JsonDocument.Parse(File.ReadAllBytes(file));
    var @case = document.RootElement;
    if (@case.TryGetProperty("request", out var request))
    {
        var problems = new List<string>();
        try
        {
            var headers = request.GetProperty("headers").EnumerateArray().Select(h => (h[0].GetString()!, h[1].GetString()!)).ToList();
            var answer = await ExchangeAsync(port, RequestBytes(request.GetProperty("method").GetString()!, request.GetProperty("target").GetString()!, headers,
                BodyOf(request.GetProperty("body"))));
            if (answer.Status != 200)
            {
                problems.Add($"status {answer.Status}: {Encoding.UTF8.GetString(answer.Body)}");
            }
            else
            {
                using var actual = JsonDocument.Parse(answer.Body);
                Mismatches(@case.GetProperty("event"), actual.RootElement, "$", problems);
            }
        }
        catch (Exception ex) when (ex is IOException or SocketException or JsonException or InvalidOperationException)
        {
            problems.Add(ex.Message);
        }

        Report($"lambda-v2 {name}: the event", problems);
    }

    if (@case.TryGetProperty("result", out var result))
    {
        var problems = new List<string>();
        try
        {
            var json = Encoding.UTF8.GetBytes(result.GetRawText());
            var answer = await ExchangeAsync(port, RequestBytes("POST", "/respond",
                [("Host", "fixtures"), ("Content-Type", "application/json"), ("Content-Length", json.Length.ToString()), ("Connection", "close")], json));
            var expected = @case.GetProperty("response");
            if (answer.Status != expected.GetProperty("status").GetInt32())
            {
                problems.Add($"status {answer.Status}, expected {expected.GetProperty("status").GetInt32()}: {Encoding.UTF8.GetString(answer.Body)}");
            }

            if (expected.TryGetProperty("headers", out var headers))
            {
                foreach (var header in headers.EnumerateObject())
                {
                    var want = header.Value.ValueKind == JsonValueKind.Array ? header.Value.EnumerateArray().Select(v => v.GetString()!).ToList() : [header.Value.GetString()!];
                    var got = answer.Headers.Where(h => string.Equals(h.Name, header.Name, StringComparison.OrdinalIgnoreCase)).Select(h => h.Value).ToList();
                    if (!want.SequenceEqual(got))
                    {
                        problems.Add($"header {header.Name}: expected [{string.Join(" | ", want)}], got [{string.Join(" | ", got)}]");
                    }
                }
            }

            var body = expected.GetProperty("body");
            if (body.TryGetProperty("json", out var wantJson))
            {
                using var actual = JsonDocument.Parse(answer.Body);
                Mismatches(wantJson, actual.RootElement, "body", problems);
            }
            else if (!BodyOf(body).AsSpan().SequenceEqual(answer.Body))
            {
                problems.Add($"body: expected {Convert.ToBase64String(BodyOf(body))} (base64), got {Convert.ToBase64String(answer.Body)}");
            }
        }
        catch (Exception ex) when (ex is IOException or SocketException or JsonException or InvalidOperationException)
        {
            problems.Add(ex.Message);
        }

        Report($"lambda-v2 {name}: the answer to the result", problems);
    }
}

return failed == 0 ? 0 : 1;

// Where actual differs from the case's expected value ({"$any": type} and {"$regex": pattern} stand for what cannot be known).
static void Mismatches(JsonElement expected, JsonElement actual, string where, List<string> problems)
{
    if (expected.ValueKind == JsonValueKind.Object && expected.EnumerateObject().Select(p => p.Name).ToList() is [var only] && only is "$any" or "$regex")
    {
        var ok = only == "$any"
            ? TypeOf(actual) == expected.GetProperty("$any").GetString()
            : actual.ValueKind == JsonValueKind.String && Regex.IsMatch(actual.GetString()!, expected.GetProperty("$regex").GetString()!);
        if (!ok)
        {
            problems.Add($"{where}: expected {expected.GetRawText()}, got {actual.GetRawText()}");
        }

        return;
    }

    if (expected.ValueKind != actual.ValueKind && !(expected.ValueKind is JsonValueKind.True or JsonValueKind.False && actual.ValueKind is JsonValueKind.True or JsonValueKind.False))
    {
        problems.Add($"{where}: expected {expected.GetRawText()}, got {actual.GetRawText()}");
        return;
    }

    switch (expected.ValueKind)
    {
        case JsonValueKind.Object:
            var names = expected.EnumerateObject().Select(p => p.Name).Concat(actual.EnumerateObject().Select(p => p.Name)).Distinct();
            foreach (var key in names)
            {
                if (!actual.TryGetProperty(key, out var value))
                {
                    problems.Add($"{where}.{key}: missing");
                }
                else if (!expected.TryGetProperty(key, out var want))
                {
                    problems.Add($"{where}.{key}: not expected, got {value.GetRawText()}");
                }
                else
                {
                    Mismatches(want, value, $"{where}.{key}", problems);
                }
            }

            break;
        case JsonValueKind.Array:
            if (expected.GetArrayLength() != actual.GetArrayLength())
            {
                problems.Add($"{where}: expected {expected.GetRawText()}, got {actual.GetRawText()}");
                break;
            }

            for (var i = 0; i < expected.GetArrayLength(); i++)
            {
                Mismatches(expected[i], actual[i], $"{where}[{i}]", problems);
            }

            break;
        case JsonValueKind.Number when expected.GetDecimal() != actual.GetDecimal():
        case JsonValueKind.String when expected.GetString() != actual.GetString():
        case JsonValueKind.True or JsonValueKind.False when expected.ValueKind != actual.ValueKind:
            problems.Add($"{where}: expected {expected.GetRawText()}, got {actual.GetRawText()}");
            break;
    }
}

static string TypeOf(JsonElement value) => value.ValueKind switch
{
    JsonValueKind.Object => "object",
    JsonValueKind.Array => "array",
    JsonValueKind.String => "string",
    JsonValueKind.Number => "number",
    JsonValueKind.True or JsonValueKind.False => "boolean",
    _ => "null",
};

static byte[] BodyOf(JsonElement body) => body.ValueKind == JsonValueKind.Null ? []
    : body.TryGetProperty("base64", out var base64) ? Convert.FromBase64String(base64.GetString()!)
    : Encoding.UTF8.GetBytes(body.GetProperty("text").GetString()!);

static byte[] RequestBytes(string method, string target, List<(string Name, string Value)> headers, byte[] body)
{
    var head = new StringBuilder($"{method} {target} HTTP/1.1\r\n");
    foreach (var (name, value) in headers)
    {
        head.Append($"{name}: {value}\r\n");
    }

    return [.. Encoding.UTF8.GetBytes(head.Append("\r\n").ToString()), .. body];
}

// Raw bytes on a new connection; the answer read up to its Content-Length (or the end of the connection).
static async Task<(int Status, List<(string Name, string Value)> Headers, byte[] Body)> ExchangeAsync(int port, byte[] request)
{
    using var client = new TcpClient();
    using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
    await client.ConnectAsync("127.0.0.1", port, timeout.Token);
    var stream = client.GetStream();
    await stream.WriteAsync(request, timeout.Token);
    var received = new List<byte>();
    var buffer = new byte[65536];
    while (true)
    {
        var data = received.ToArray();
        var end = data.AsSpan().IndexOf("\r\n\r\n"u8);
        if (end >= 0)
        {
            var lines = Encoding.Latin1.GetString(data, 0, end).Split("\r\n");
            var status = int.Parse(lines[0].Split(' ')[1]);
            var headers = lines.Skip(1).Select(line => (line[..line.IndexOf(':')].Trim().ToLowerInvariant(),
                Encoding.UTF8.GetString(Encoding.Latin1.GetBytes(line[(line.IndexOf(':') + 1)..].Trim())))).ToList();
            var body = data[(end + 4)..];
            var length = headers.Where(h => h.Item1 == "content-length").Select(h => int.Parse(h.Item2)).ToList();
            if (length is [var n] && body.Length >= n)
            {
                return (status, headers, body[..n]);
            }

            if (length.Count == 0 && status is 204 or 304)
            {
                return (status, headers, []);
            }
        }

        var read = await stream.ReadAsync(buffer, timeout.Token);
        if (read == 0)
        {
            throw new IOException($"the connection closed before the whole answer: {Encoding.Latin1.GetString(data)}");
        }

        received.AddRange(buffer.AsSpan(0, read));
    }
}
