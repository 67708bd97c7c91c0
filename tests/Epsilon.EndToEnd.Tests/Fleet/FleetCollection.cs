namespace Epsilon.EndToEnd.Tests.Fleet;

/// <summary>Tests that share one fleet, run one at a time: each kills, drains or loads its gateways.</summary>
[CollectionDefinition(Name)]
public sealed class FleetCollection : ICollectionFixture<FleetFixture>
{
    public const string Name = "fleet";
}
