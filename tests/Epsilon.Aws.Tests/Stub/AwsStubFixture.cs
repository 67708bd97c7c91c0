namespace Epsilon.Aws.Tests.Stub;

/// <summary>
/// One stub for the whole assembly. AWSSDK.Core resolves the metadata endpoint (AWS_EC2_METADATA_SERVICE_ENDPOINT) and
/// caches instance-role credentials process-wide, so every test that reaches the SDK's chain must see the same stub.
/// </summary>
public sealed class AwsStubFixture : IAsyncLifetime
{
    internal AwsStub Stub { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Stub = await AwsStub.StartAsync();
        Environment.SetEnvironmentVariable("AWS_EC2_METADATA_SERVICE_ENDPOINT", Stub.BaseAddress.ToString().TrimEnd('/'));
    }

    public async Task DisposeAsync() => await Stub.DisposeAsync();
}
