namespace Epsilon.Core.Contracts;

/// <summary>
/// Labels the builder writes into every function image and the gateway puts on every container and network it creates,
/// so a restarted gateway (and the tests' fixtures) can find and reconcile what it left.
/// </summary>
public static class ContainerLabels
{
    /// <summary>Marks a resource as Epsilon's; its value is <see cref="ManagedValue"/>.</summary>
    public const string Managed = "epsilon.managed";

    /// <summary>The function an image or container belongs to.</summary>
    public const string Function = "epsilon.function";

    /// <summary>The function's version number, in invariant digits.</summary>
    public const string Version = "epsilon.version";

    /// <summary>The id of the gateway that created a container (containers only: images are shared by every gateway).</summary>
    public const string Gateway = "epsilon.gateway";

    /// <summary>The value of <see cref="Managed"/>.</summary>
    public const string ManagedValue = "true";
}
