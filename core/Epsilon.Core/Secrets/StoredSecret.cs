namespace Epsilon.Core.Secrets;

/// <summary>One function's secret as the store keeps it: what gateways load with their function table.</summary>
/// <param name="Function">The function.</param>
/// <param name="Name">The variable it becomes in the function's containers.</param>
/// <param name="Value">The encrypted value.</param>
public sealed record StoredSecret(string Function, string Name, EncryptedSecret Value);
