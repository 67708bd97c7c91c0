namespace Epsilon.Core.Model;

/// <summary>What deleting a function took away.</summary>
/// <param name="Name">The function, whose name is free again.</param>
/// <param name="Images">The images of its versions, for removal from the registry.</param>
/// <param name="Revision">The live revision without it.</param>
public sealed record DeletedFunction(string Name, IReadOnlyList<string> Images, long Revision);
