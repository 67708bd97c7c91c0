namespace Epsilon.Core.Store;

/// <summary>What the store tells waiting processes about, at once where the database can (PostgreSQL's NOTIFY).</summary>
public enum StoreSignal
{
    /// <summary>The live versions changed: gateways reload their function table.</summary>
    RevisionChanged,

    /// <summary>A gateway now serves a newer revision: a deploy waiting for the fleet looks again.</summary>
    RevisionServed,
}
