using Epsilon.Gateway.Containers;

namespace Epsilon.Gateway.Pooling;

/// <summary>A container slot for one call, or why there is none.</summary>
internal readonly record struct AcquireResult(FunctionContainer? Container, AcquireError Error, string? Message, bool ColdStart)
{
    public static AcquireResult Failed(AcquireError error, string message) => new(null, error, message, false);
}
