using Microsoft.AspNetCore.Http;

namespace Epsilon.Examples;

/// <summary>
/// Echoes the request back as JSON: method, path, query, the X-Test header and the body; the status comes from the
/// query (?status=201). /throw throws (the platform answers 500 and the container lives on), /sleep?ms=N waits.
/// </summary>
public static class Echo
{
    // Static state lives as long as the container: it counts the calls this instance has served.
    private static int s_calls;

    public static async Task<IResult> HandleAsync(HttpContext context)
    {
        var calls = Interlocked.Increment(ref s_calls);
        var request = context.Request;
        if (request.Path == "/throw")
        {
            throw new InvalidOperationException("boom from dotnet-echo");
        }

        if (request.Path == "/sleep" && int.TryParse(request.Query["ms"], out var ms))
        {
            await Task.Delay(ms, context.RequestAborted);
        }

        using var reader = new StreamReader(request.Body);
        var body = await reader.ReadToEndAsync(context.RequestAborted);
        Console.WriteLine($"dotnet-echo: {request.Method} {request.Path}");

        context.Response.Headers["X-Echo"] = "yes";
        return Results.Json(new
        {
            method = request.Method,
            path = request.Path.Value,
            query = request.Query.ToDictionary(q => q.Key, q => q.Value.ToString()),
            header = request.Headers["X-Test"].FirstOrDefault(),
            body,
            requestId = request.Headers["X-Epsilon-Request-Id"].FirstOrDefault(),
            calls,
        }, statusCode: int.TryParse(request.Query["status"], out var status) ? status : 200);
    }
}
