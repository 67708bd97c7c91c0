using Epsilon.Core.Model;

namespace Epsilon.Core.Store;

/// <summary>
/// The fleet's shared state: which gateways there are, and which revision of the live versions each serves, so a deploy
/// can answer once every gateway serves it.
/// </summary>
public interface IFleetStore
{
    /// <summary>Adds the gateway, or replaces its row if it was there (a restart), with a fresh heartbeat.</summary>
    Task RegisterGatewayAsync(GatewayMember member, CancellationToken cancellationToken = default);

    /// <summary>Records that the gateway is alive, its state and the revision it serves.</summary>
    /// <returns>False when its row is gone (it was deregistered): the caller registers again.</returns>
    Task<bool> HeartbeatAsync(string id, GatewayState state, long servedRevision, CancellationToken cancellationToken = default);

    /// <summary>Removes the gateway from the fleet.</summary>
    Task DeregisterGatewayAsync(string id, CancellationToken cancellationToken = default);

    /// <summary>Every registered gateway; whether each is still alive is the caller's call, from its heartbeat.</summary>
    Task<IReadOnlyList<GatewayMember>> ListGatewaysAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// The revision of the live versions: a number that every successful deploy raises, in the transaction that moves
    /// them. A function table loaded after reading revision R reflects at least R.
    /// </summary>
    Task<long> GetRevisionAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Completes when <paramref name="signal"/> is raised or <paramref name="timeout"/> has passed, whichever comes first.
    /// The wait starts when this is called, so call it before checking the condition it guards, then await it.
    /// </summary>
    /// <returns>Whether the signal came (false: the timeout passed, or the database cannot signal and the caller polls).</returns>
    Task<bool> WaitForSignalAsync(StoreSignal signal, TimeSpan timeout, CancellationToken cancellationToken = default);

    /// <summary>Raises <paramref name="signal"/> for every process waiting for it (nothing where the database cannot).</summary>
    Task SignalAsync(StoreSignal signal, CancellationToken cancellationToken = default);
}
