namespace Epsilon.Builder.Images;

/// <summary>A function's image could not be built or pushed; the message is meant for the user.</summary>
internal sealed class FunctionBuildException(string function, string message, Exception? innerException = null)
    : Exception($"function '{function}': {message}", innerException)
{
    /// <summary>The function whose build failed.</summary>
    public string Function { get; } = function;
}
