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
        var length = Encoding.UTF8.GetMaxByteCount(function.Length);
        byte[]? rented = null;
        var buffer = length <= 256 ? stackalloc byte[256] : (rented = ArrayPool<byte>.Shared.Rent(length));
        try
        {
            var key = buffer[..Encoding.UTF8.GetBytes(function, buffer)];
            for (var i = 0; i < peers.Count; i++)
            {
                ranked[i] = peers[i];
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

        // Highest score first; ties (vanishingly rare) broken by id so every gateway agrees.
        var count = peers.Count;
        for (var i = 1; i < count; i++)
        {
            var score = scores[i];
            var peer = ranked[i];
            var j = i - 1;
            while (j >= 0 && (scores[j] < score || (scores[j] == score && string.CompareOrdinal(ranked[j].Id, peer.Id) > 0)))
            {
                scores[j + 1] = scores[j];
                ranked[j + 1] = ranked[j];
                j--;
            }

            scores[j + 1] = score;
            ranked[j + 1] = peer;
        }
    }
}
