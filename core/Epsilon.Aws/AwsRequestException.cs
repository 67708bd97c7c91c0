using System.Net;

namespace Epsilon.Aws;

/// <summary>AWS refused a request: the service, the operation, the status and AWS's own error code and message.</summary>
internal sealed class AwsRequestException(string service, string operation, HttpStatusCode? statusCode, string errorCode, string errorMessage, Exception? innerException = null)
    : Exception(statusCode is { } status
        ? $"AWS {service} {operation} failed with {(int)status} {errorCode}: {errorMessage}"
        : $"AWS {service} {operation} failed: {errorMessage}", innerException)
{
    public string Service { get; } = service;

    public string Operation { get; } = operation;

    /// <summary>The HTTP status, or null when no answer came (network error, timeout).</summary>
    public HttpStatusCode? StatusCode { get; } = statusCode;

    /// <summary>AWS's error code (<c>SignatureDoesNotMatch</c>, <c>InvalidSignatureException</c>, ...).</summary>
    public string ErrorCode { get; } = errorCode;
}
