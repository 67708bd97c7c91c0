namespace Epsilon.Simulation;

/// <summary>What moved when gateways left the fleet at once.</summary>
internal sealed record LeaveResult
{
    public required int Gateways { get; init; }

    public required int Left { get; init; }

    public required int Functions { get; init; }

    /// <summary>Functions whose home (first of the ranking) changed.</summary>
    public required int Moved { get; init; }

    /// <summary>Of the moved functions, those whose old home was not one of the gateways that left (0 by rendezvous hashing).</summary>
    public required int MovedFromStayingHome { get; init; }

    /// <summary>Of the moved functions, those whose new home is not the first gateway left of their old ranking (0 likewise).</summary>
    public required int MovedPastNextSurvivor { get; init; }

    /// <summary>Share of the calls (by the functions' Zipf weights) whose function moved.</summary>
    public required double CallShareMoved { get; init; }

    public double LeftShare => (double)Left / Gateways;

    public double MovedShare => (double)Moved / Functions;
}
