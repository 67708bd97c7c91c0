namespace Epsilon.Core.Docker;

/// <summary>Query parameters of <c>GET /events</c>.</summary>
public sealed class EventsParameters
{
    /// <summary>
    /// Filters (<c>filters</c>, as JSON): by <c>type</c> (<c>container</c>, <c>network</c>, ...), <c>event</c>
    /// (<c>start</c>, <c>die</c>, ...), <c>label</c> (<c>key=value</c>), <c>container</c>, ... Values of one key are alternatives.
    /// </summary>
    public IDictionary<string, IList<string>>? Filters { get; set; }

    /// <summary>Replays past events from this instant.</summary>
    public DateTimeOffset? Since { get; set; }

    /// <summary>Ends the stream at this instant.</summary>
    public DateTimeOffset? Until { get; set; }
}
