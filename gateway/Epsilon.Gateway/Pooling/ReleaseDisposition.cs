namespace Epsilon.Gateway.Pooling;

/// <summary>What a call's end says about its container.</summary>
internal enum ReleaseDisposition
{
    /// <summary>Healthy: keep it warm.</summary>
    Healthy,

    /// <summary>The call timed out: take no new calls and remove it once its other calls end.</summary>
    Retire,

    /// <summary>It crashed or stopped answering: remove it now.</summary>
    Dead,
}
