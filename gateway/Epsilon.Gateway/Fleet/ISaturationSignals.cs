namespace Epsilon.Gateway.Fleet;

/// <summary>What routing knows of how full a gateway is for a function.</summary>
internal interface ISaturationSignals
{
    /// <summary>
    /// Whether <paramref name="gatewayId"/> cannot take another call of <paramref name="function"/> without waiting: its
    /// containers of it at <c>maxContainers</c> and busy, or the gateway at its capacity.
    /// </summary>
    bool IsSaturated(string gatewayId, string function);
}
