namespace Epsilon.Core.Store;

/// <summary>Where the store lives. Bound from <c>Epsilon:Store</c>.</summary>
public sealed class StoreOptions
{
    /// <summary>Configuration section.</summary>
    public const string SectionName = "Epsilon:Store";

    /// <summary>Path of the SQLite database file; builder and gateway on one machine share it.</summary>
    public string Path { get; set; } = "/var/lib/epsilon/epsilon.db";
}
