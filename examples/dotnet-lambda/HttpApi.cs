namespace Epsilon.Examples;

// The shapes of API Gateway's HTTP API (v2) event, response and the Lambda context, declared here because the AWS
// packages (Amazon.Lambda.APIGatewayEvents, Amazon.Lambda.Core) are not on this NuGet feed. The platform fills any
// class of these names' shape from the event's JSON (camelCase, case-insensitive), and answers an interface like
// ILambdaContext member by member, so code written against the AWS types keeps working with these.

public sealed class HttpApiRequest
{
    public string Version { get; set; } = "";
    public string RawPath { get; set; } = "";
    public string RawQueryString { get; set; } = "";
    public List<string>? Cookies { get; set; }
    public Dictionary<string, string> Headers { get; set; } = [];
    public Dictionary<string, string>? QueryStringParameters { get; set; }
    public RequestContextInfo RequestContext { get; set; } = new();
    public string? Body { get; set; }
    public bool IsBase64Encoded { get; set; }

    public sealed class RequestContextInfo
    {
        public string RequestId { get; set; } = "";
        public HttpInfo Http { get; set; } = new();
    }

    public sealed class HttpInfo
    {
        public string Method { get; set; } = "";
        public string Path { get; set; } = "";
        public string SourceIp { get; set; } = "";
    }
}

public sealed class HttpApiResponse
{
    public int StatusCode { get; set; } = 200;
    public Dictionary<string, string> Headers { get; set; } = [];
    public string? Body { get; set; }
    public bool IsBase64Encoded { get; set; }
}

public interface ILambdaContext
{
    string FunctionName { get; }
    string AwsRequestId { get; }
    TimeSpan RemainingTime { get; }
    ILambdaLogger Logger { get; }
}

public interface ILambdaLogger
{
    void LogLine(string message);
}
