namespace Epsilon.Builder.Api;

/// <summary>A secret as <c>GET /functions/{name}/secrets</c> shows it: never its value.</summary>
/// <param name="Name">The variable it becomes in the function's containers.</param>
/// <param name="CreatedAt">When it was first set.</param>
/// <param name="UpdatedAt">When its value last changed.</param>
internal sealed record SecretResponse(string Name, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);
