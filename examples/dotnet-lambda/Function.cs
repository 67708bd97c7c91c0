using System.Text.Json;

namespace Epsilon.Examples;

/// <summary>
/// A Lambda handler: echoes what API Gateway's event says (method, path, query, a header, the body) with the status
/// from the query (?status=201). The instance lives as long as the container: it counts the calls it has served.
/// </summary>
public class Function
{
    private int _calls;

    public Task<HttpApiResponse> FunctionHandler(HttpApiRequest request, ILambdaContext context)
    {
        var calls = Interlocked.Increment(ref _calls);
        if (request.RawPath == "/throw")
        {
            throw new InvalidOperationException("boom from dotnet-lambda");
        }

        context.Logger.LogLine($"dotnet-lambda: {request.RequestContext.Http.Method} {request.RawPath}");
        var query = request.QueryStringParameters ?? [];
        var body = JsonSerializer.Serialize(new
        {
            version = request.Version,
            method = request.RequestContext.Http.Method,
            path = request.RawPath,
            rawQueryString = request.RawQueryString,
            query,
            header = request.Headers.GetValueOrDefault("x-test"),
            body = request.Body,
            isBase64Encoded = request.IsBase64Encoded,
            requestId = context.AwsRequestId,
            function = context.FunctionName,
            remainingMs = (int)context.RemainingTime.TotalMilliseconds,
            calls,
        });
        return Task.FromResult(new HttpApiResponse
        {
            StatusCode = query.TryGetValue("status", out var status) ? int.Parse(status) : 200,
            Headers = { ["Content-Type"] = "application/json", ["X-Lambda"] = "yes" },
            Body = body,
        });
    }
}
