namespace Epsilon.Aws.Tests.Stub;

/// <summary>The tests that share the stub (and the SDK's process-wide state), run one after another.</summary>
[CollectionDefinition(Name)]
public sealed class AwsStubCollection : ICollectionFixture<AwsStubFixture>
{
    public const string Name = "aws stub";
}
