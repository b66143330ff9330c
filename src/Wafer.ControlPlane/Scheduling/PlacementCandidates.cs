using Wafer.ControlPlane.Fleet;

namespace Wafer.ControlPlane.Scheduling;

/// <summary>
/// The runtimes a pass may still place on (placeable, with room), kept in the order placement prefers: lowest score
/// first, then runtime id. A placement takes the first that suits the deployment and moves it to its new score, so a
/// burst placing on a few hundred runtimes costs each placement a walk to the first suitable runtime and one update,
/// not a scan and sort of the whole fleet.
/// </summary>
internal sealed class PlacementCandidates
{
    private readonly SortedSet<Candidate> _ordered = new(CandidateOrder.Instance);
    private readonly Dictionary<string, Candidate> _byId = new(StringComparer.Ordinal);

    /// <summary>Adds a runtime at its current score (the caller checked it is placeable and has room).</summary>
    public void Add(RuntimeNode runtime, double score)
    {
        var candidate = new Candidate(score, runtime);
        _ordered.Add(candidate);
        _byId[runtime.Id] = candidate;
    }

    /// <summary>The first runtime, in preference order, that <paramref name="suits"/> accepts; null when none does.</summary>
    public RuntimeNode? First(Func<RuntimeNode, bool> suits)
    {
        foreach (var candidate in _ordered)
        {
            if (suits(candidate.Runtime))
            {
                return candidate.Runtime;
            }
        }

        return null;
    }

    /// <summary>A module was placed on the runtime: it moves to <paramref name="score"/>, or leaves when it has no room left.</summary>
    public void Occupied(string runtimeId, double score, bool hasRoom)
    {
        if (!_byId.Remove(runtimeId, out var candidate))
        {
            return;
        }

        _ordered.Remove(candidate);
        if (hasRoom)
        {
            Add(candidate.Runtime, score);
        }
    }

    private readonly record struct Candidate(double Score, RuntimeNode Runtime);

    /// <summary>The order placement has always used: <c>OrderBy(score).ThenBy(id, ordinal)</c>.</summary>
    private sealed class CandidateOrder : IComparer<Candidate>
    {
        public static readonly CandidateOrder Instance = new();

        public int Compare(Candidate x, Candidate y)
        {
            var byScore = x.Score.CompareTo(y.Score);
            return byScore != 0 ? byScore : string.CompareOrdinal(x.Runtime.Id, y.Runtime.Id);
        }
    }
}
