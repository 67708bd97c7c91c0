using System.CommandLine;
using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Epsilon.Cli.Api;

namespace Epsilon.Cli.Commands;

/// <summary>What <c>epsilon invoke --json</c> prints.</summary>
internal sealed record InvokeResult(int Status, double DurationMs, string? RequestId, IReadOnlyDictionary<string, string> Headers, string Body);

/// <summary>
/// <c>epsilon invoke NAME</c>: calls a function at the URL the builder gives for it, prints the answer's body on standard
/// output and its status, duration and request id on standard error.
/// </summary>
internal static class InvokeCommand
{
    private const string RequestIdHeader = "X-Epsilon-Request-Id";

    public static Command Create(CliContext context)
    {
        var name = new Argument<string>("function") { Description = "The function's name; fn@alias or fn@v7 calls an alias or a version" };
        var data = new Option<string?>("--data", "-d") { Description = "Request body; @FILE reads it from a file, @- from standard input (sends POST)" };
        var headers = new Option<string[]>("--header", "-H") { Description = "A request header, 'Name: value' (repeatable)", AllowMultipleArgumentsPerToken = false };
        var method = new Option<string?>("--method", "-X") { Description = "HTTP method (default: GET, or POST with --data)" };
        var path = new Option<string?>("--path") { Description = "Path after the function's URL, e.g. /items/7?full=1" };
        var json = CliContext.JsonOption();
        var command = new Command("invoke", "Call a function and print its answer") { name, data, headers, method, path, json };
        command.SetAction(async (result, cancellationToken) =>
        {
            // fn@beta or fn@v7 calls an alias or a version: the function's URL with the selector after its name.
            var (function, selector) = result.GetValue(name)!.Split('@', 2) is [var f, var sel] ? (f, "@" + sel) : (result.GetValue(name)!, "");
            var requestHeaders = ParseHeaders(result.GetValue(headers) ?? []);
            var profile = context.Connection.Resolve(result);
            string url;
            using (var builder = new BuilderClient(profile))
            {
                var info = await builder.GetJsonAsync("functions/" + Uri.EscapeDataString(function), cancellationToken);
                url = Output.Text(info, "url");
            }

            var target = new Uri(url.TrimEnd('/') + selector + "/" + (result.GetValue(path) ?? "").TrimStart('/'));
            var body = await ReadBodyAsync(result.GetValue(data), cancellationToken);
            using var request = new HttpRequestMessage(new HttpMethod(result.GetValue(method) ?? (body is null ? "GET" : "POST")), target);
            if (body is not null)
            {
                request.Content = new ByteArrayContent(body);
            }

            foreach (var (key, value) in requestHeaders)
            {
                if (!request.Headers.TryAddWithoutValidation(key, value))
                {
                    request.Content ??= new ByteArrayContent([]);
                    request.Content.Headers.TryAddWithoutValidation(key, value);
                }
            }

            using var http = PlatformHttp.Create(profile.CaFile, TimeSpan.FromMinutes(15));
            var stopwatch = Stopwatch.StartNew();
            HttpResponseMessage response;
            try
            {
                response = await http.SendAsync(request, cancellationToken);
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
            {
                throw PlatformHttp.Unreachable("gateway", target, ex);
            }

            using (response)
            {
                var answer = await response.Content.ReadAsByteArrayAsync(cancellationToken);
                var elapsed = stopwatch.Elapsed;
                var requestId = response.Headers.TryGetValues(RequestIdHeader, out var ids) ? ids.FirstOrDefault() : null;
                var status = (int)response.StatusCode;
                if (result.GetValue(json))
                {
                    var all = response.Headers.Concat(response.Content.Headers)
                        .ToDictionary(h => h.Key.ToLowerInvariant(), h => string.Join(", ", h.Value), StringComparer.Ordinal);
                    var printed = new InvokeResult(status, Math.Round(elapsed.TotalMilliseconds, 1), requestId, all, Encoding.UTF8.GetString(answer));
                    await context.Output.WriteLineAsync(JsonSerializer.Serialize(printed, CliJsonContext.Default.InvokeResult));
                }
                else
                {
                    await using var stdout = Console.OpenStandardOutput();
                    if (ReferenceEquals(context.Output, Console.Out))
                    {
                        await stdout.WriteAsync(answer, cancellationToken);
                    }
                    else
                    {
                        await context.Output.WriteAsync(Encoding.UTF8.GetString(answer));
                    }

                    await context.Error.WriteLineAsync(
                        $"{(answer.Length > 0 && answer[^1] != (byte)'\n' ? "\n" : "")}{status} {response.ReasonPhrase} in {Output.Milliseconds(elapsed)}, request id {requestId ?? "(none)"}");
                }

                // A function's 4xx is an answer, as curl sees it; a 5xx means the function or the platform failed.
                return status >= 500 ? ExitCodes.Failed : ExitCodes.Ok;
            }
        });
        return command;
    }

    private static List<(string Name, string Value)> ParseHeaders(string[] headers)
    {
        var parsed = new List<(string, string)>();
        foreach (var header in headers)
        {
            var colon = header.IndexOf(':');
            if (colon <= 0)
            {
                throw new CliException(ExitCodes.Usage, $"--header '{header}' is not 'Name: value'");
            }

            parsed.Add((header[..colon].Trim(), header[(colon + 1)..].Trim()));
        }

        return parsed;
    }

    private static async Task<byte[]?> ReadBodyAsync(string? data, CancellationToken cancellationToken)
    {
        if (data is null)
        {
            return null;
        }

        if (data == "@-")
        {
            using var input = Console.OpenStandardInput();
            using var buffer = new MemoryStream();
            await input.CopyToAsync(buffer, cancellationToken);
            return buffer.ToArray();
        }

        if (data.StartsWith('@'))
        {
            try
            {
                return await File.ReadAllBytesAsync(data[1..], cancellationToken);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                throw new CliException(ExitCodes.Usage, $"--data {data}: {ex.Message}");
            }
        }

        return Encoding.UTF8.GetBytes(data);
    }
}
