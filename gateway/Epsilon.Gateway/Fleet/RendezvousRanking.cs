using System.Buffers;
using System.IO.Hashing;
using System.Text;

namespace Epsilon.Gateway.Fleet;

/// <summary>
/// Rendezvous (highest random weight) hashing: each gateway scores a function by a hash of the two, and the function's
/// ranking is the gateways by score. Every gateway computes the same ranking from the same membership with no
/// coordination, and when a gateway leaves only the functions it ranked first move (to their second), about 1/n of them.
/// </summary>
internal static class RendezvousRanking
{
    /// <summary>The gateways of <paramref name="peers"/> in <paramref name="function"/>'s ranking, best first.</summary>
    public static FleetPeer[] Rank(string function, IReadOnlyList<FleetPeer> peers)
    {
        var ranked = new FleetPeer[peers.Count];
        var scores = new ulong[peers.Count];
        Rank(function, peers, ranked, scores);
        return ranked;
    }

    /// <summary>Fills <paramref name="ranked"/> with <paramref name="peers"/> best first, using <paramref name="scores"/> as scratch space.</summary>
    public static void Rank(string function, IReadOnlyList<FleetPeer> peers, Span<FleetPeer> ranked, Span<ulong> scores)
    {
        var count = peers.Count;
        scores = scores[..count];
        Score(function, peers, scores);
        Span<int> order = count <= 256 ? stackalloc int[count] : new int[count];
        for (var i = 0; i < count; i++)
        {
            // Complemented, so the ascending sort puts the highest score first.
            scores[i] = ~scores[i];
            order[i] = i;
        }

        // Values are sorted and the peers placed once at the end: moving references while sorting pays a GC write
        // barrier per move (an insertion sort of 100 gateways took about 10 us of CPU).
        scores.Sort(order);

        // Ties (vanishingly rare) broken by id so every gateway agrees: equal scores are neighbours now.
        for (var i = 1; i < count; i++)
        {
            var score = scores[i];
            var index = order[i];
            var j = i - 1;
            while (j >= 0 && scores[j] == score && string.CompareOrdinal(peers[order[j]].Id, peers[index].Id) > 0)
            {
                order[j + 1] = order[j];
                j--;
            }

            order[j + 1] = index;
        }

        for (var i = 0; i < count; i++)
        {
            ranked[i] = peers[order[i]];
        }
    }

    /// <summary>Fills <paramref name="scores"/> with each gateway's score for <paramref name="function"/>, in the order of <paramref name="peers"/>.</summary>
    public static void Score(string function, IReadOnlyList<FleetPeer> peers, Span<ulong> scores)
    {
        var length = Encoding.UTF8.GetMaxByteCount(function.Length);
        byte[]? rented = null;
        var buffer = length <= 256 ? stackalloc byte[256] : (rented = ArrayPool<byte>.Shared.Rent(length));
        try
        {
            var key = buffer[..Encoding.UTF8.GetBytes(function, buffer)];
            for (var i = 0; i < peers.Count; i++)
            {
                scores[i] = XxHash3.HashToUInt64(key, peers[i].Seed);
            }
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    /// <summary>Whether <c>peers[a]</c> ranks before <c>peers[b]</c>, given the <paramref name="scores"/> <see cref="Score"/> filled.</summary>
    public static bool Precedes(ReadOnlySpan<ulong> scores, IReadOnlyList<FleetPeer> peers, int a, int b) =>
        scores[a] > scores[b] || (scores[a] == scores[b] && string.CompareOrdinal(peers[a].Id, peers[b].Id) < 0);
}
