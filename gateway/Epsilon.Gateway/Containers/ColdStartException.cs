namespace Epsilon.Gateway.Containers;

/// <summary>A function container could not be started; the message is meant for the caller.</summary>
internal sealed class ColdStartException(string message, Exception? innerException = null) : Exception(message, innerException);
