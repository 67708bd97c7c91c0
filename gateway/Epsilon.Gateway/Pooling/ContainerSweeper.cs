using Epsilon.Gateway.Containers;
using Microsoft.Extensions.Options;

namespace Epsilon.Gateway.Pooling;

/// <summary>
/// Leaves Docker as this gateway found it. At start: checks the daemon, creates the network if absent and removes the
/// containers a previous run of this gateway left. At stop: ends the starts under way and, when
/// <see cref="GatewayOptions.RemoveContainersOnStop"/> says so, retires every pool and removes every container of this
/// gateway, once more after the starts ended since one may have created its container after the first sweep.
/// </summary>
internal sealed class ContainerSweeper(
    ContainerRuntime runtime,
    ContainerLifecycle lifecycle,
    FunctionPools pools,
    IOptions<GatewayOptions> options) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => runtime.PrepareAsync(cancellationToken);

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        var remove = options.Value.RemoveContainersOnStop;
        await lifecycle.StopAsync().ConfigureAwait(false);
        if (remove)
        {
            pools.RetireAll();
            await RemoveOwnContainersAsync(cancellationToken).ConfigureAwait(false);
        }

        await lifecycle.WaitForBackgroundAsync(cancellationToken).ConfigureAwait(false);
        if (remove)
        {
            // A cold start cut short by the stop may have created a container after the first sweep.
            await RemoveOwnContainersAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task RemoveOwnContainersAsync(CancellationToken cancellationToken)
    {
        var ids = await runtime.ListOwnContainersAsync(cancellationToken).ConfigureAwait(false);
        await Task.WhenAll(ids.Select(id => runtime.RemoveAsync(id, cancellationToken))).ConfigureAwait(false);
    }
}
