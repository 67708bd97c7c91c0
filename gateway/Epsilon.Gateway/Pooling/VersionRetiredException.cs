namespace Epsilon.Gateway.Pooling;

/// <summary>Ends the wait of a call queued on a version that stopped being live.</summary>
internal sealed class VersionRetiredException() : Exception("the function version is no longer live");
