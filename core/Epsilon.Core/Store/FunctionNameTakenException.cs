namespace Epsilon.Core.Store;

/// <summary>A function name is owned by another repository.</summary>
public sealed class FunctionNameTakenException(string function, string owner)
    : Exception($"function name '{function}' is already taken by another repository ({owner})")
{
    /// <summary>The name asked for.</summary>
    public string Function { get; } = function;
}
