namespace Epsilon.EndToEnd.Tests.Infrastructure;

/// <summary>Tests that share one platform instance.</summary>
[CollectionDefinition(Name)]
public sealed class PlatformCollection : ICollectionFixture<PlatformFixture>
{
    public const string Name = "platform";
}
