namespace Epsilon.Gateway.Fleet;

/// <summary>How a gateway of a fleet chooses who serves a call that reached it.</summary>
public enum FleetRouting
{
    /// <summary>The function's home gateway by rendezvous hashing, the next ones of its ranking while those before are saturated.</summary>
    Sticky,

    /// <summary>
    /// Every call is served where it lands, each gateway warming every function it is sent: for a balancer that already
    /// keeps functions sticky by itself, and the baseline the bench measures sticky routing against. The gateway still
    /// joins the fleet, so deploys wait for it.
    /// </summary>
    Local,
}
