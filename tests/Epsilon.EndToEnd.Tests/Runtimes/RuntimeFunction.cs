using Epsilon.EndToEnd.Tests.Infrastructure;

namespace Epsilon.EndToEnd.Tests.Runtimes;

/// <summary>A function the conformance cases call, and how it gets deployed (once per run, shared by every case).</summary>
/// <param name="Name">The function's name, the first segment of its URL on the gateway.</param>
/// <param name="EnsureDeployedAsync">Deploys the function's repository unless this run already has.</param>
internal sealed record RuntimeFunction(string Name, Func<PlatformFixture, Task> EnsureDeployedAsync)
{
    /// <summary>A function of an example folder of this source tree, e.g. <c>examples/go-echo</c>.</summary>
    public static RuntimeFunction InExample(string name, string example) => new(name, platform => platform.EnsureDeployedAsync(example));
}
