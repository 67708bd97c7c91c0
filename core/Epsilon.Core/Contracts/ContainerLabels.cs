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

    /// <summary>
    /// The id of the runtime base image a function image was built on (images only), so the builder can tell which live
    /// versions a rebuilt base image left behind.
    /// </summary>
    public const string BaseImage = "epsilon.base-image";

    /// <summary>The id of the runtime build image that installed a function image's dependencies (images only).</summary>
    public const string BuildImage = "epsilon.build-image";

    /// <summary>A digest of the runtime's Dockerfile template and wrapper sources a function image was built with (images only).</summary>
    public const string Wrapper = "epsilon.wrapper";

    /// <summary>The value of <see cref="Managed"/>.</summary>
    public const string ManagedValue = "true";
}
