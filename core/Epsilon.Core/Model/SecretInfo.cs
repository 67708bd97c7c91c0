namespace Epsilon.Core.Model;

/// <summary>A secret of a function, without its value (which is never read back).</summary>
/// <param name="Name">The variable it becomes.</param>
/// <param name="CreatedAt">When it was first set.</param>
/// <param name="UpdatedAt">When its value last changed.</param>
public sealed record SecretInfo(string Name, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);
