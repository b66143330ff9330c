using System.Collections.Concurrent;
using Wafer.Protocol.V1;

namespace Wafer.ControlPlane.Mqtt;

/// <summary>
/// Decides whether a message on runtime X's topics really comes from X (docs/protocol.md, "Signed messages"). With the
/// fleet token: it must be signed with X's key over its topic; keepalives and events must be recent and new (their
/// envelope ids are remembered for <see cref="Window"/>); retained announcements and statuses must not be older than
/// the newest one accepted from X on the same topic, except X's last will, whose id X names in its announce. Without a
/// token nothing is refused, but will ids are still tracked so the reconciler can tell a will from a goodbye.
/// Thread-safe.
/// </summary>
internal sealed class RuntimeMessageGuard(string? token, TimeProvider time)
{
    /// <summary>How far a keepalive's or an event's <c>sentAt</c> may be from the orchestrator's clock.</summary>
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(2);

    /// <summary>The most envelope ids remembered for the replay check; beyond it the oldest are forgotten first.</summary>
    public const int MaxSeenIds = 100_000;

    private const int MaxCachedKeys = 10_000;

    private readonly Lock _lock = new();
    private readonly Dictionary<string, Track> _tracks = new(StringComparer.Ordinal);
    private readonly HashSet<string> _seen = new(StringComparer.Ordinal);
    private readonly Queue<(string Id, DateTimeOffset SentAt)> _seenOrder = new();
    private readonly ConcurrentDictionary<string, byte[]> _keys = new(StringComparer.Ordinal);

    public bool Required => token is not null;

    /// <summary>Envelope ids remembered now for the replay check.</summary>
    public int SeenCount
    {
        get
        {
            lock (_lock)
            {
                return _seen.Count;
            }
        }
    }

    /// <summary>Checks <paramref name="envelope"/>, received on <paramref name="topic"/> (a runtime's topic) with <paramref name="signature"/>.</summary>
    public Verdict Check(string topic, Envelope envelope, ReadOnlySpan<byte> payload, string? signature)
    {
        if (!Topics.TryParseAnyRealm(topic, out _, out var runtimeId, out var channel))
        {
            return new Verdict($"topic '{topic}' is not a runtime's topic", false);
        }

        if (token is not null)
        {
            if (signature is null)
            {
                return new Verdict($"{envelope.Type}: unsigned, and this orchestrator accepts only messages signed with the fleet token "
                                   + "(start the runtime with --token or WAFER_TOKEN)", false);
            }

            if (!MessageSignature.Matches(KeyOf(runtimeId), topic, payload, signature))
            {
                return new Verdict($"{envelope.Type}: the signature does not match the key of runtime '{runtimeId}' for this topic "
                                   + "(sent by another member, or with another token)", false);
            }
        }

        lock (_lock)
        {
            return channel is "announce" or "status" ? CheckRetained(runtimeId, channel, envelope) : CheckFresh(envelope);
        }
    }

    /// <summary>Announcements and statuses: monotonic per runtime and topic, but for the announced last will.</summary>
    private Verdict CheckRetained(string runtimeId, string channel, Envelope envelope)
    {
        if (!_tracks.TryGetValue(runtimeId, out var track))
        {
            track = new Track();
            _tracks[runtimeId] = track;
        }

        if (envelope.Body is StatusBody { State: StatusBody.Offline } && track.WillId == envelope.Id)
        {
            return new Verdict(null, true); // built when the runtime connected: older than what it sent since, and still its word
        }

        ref var newest = ref channel == "announce" ? ref track.NewestAnnounce : ref track.NewestStatus;
        if (token is not null && envelope.SentAt < newest)
        {
            return new Verdict($"{envelope.Type}: sent at {envelope.SentAt:O}, before the newest {envelope.Type} accepted from runtime "
                               + $"'{runtimeId}' ({newest:O}): an old message published again", false, Stale: true);
        }

        newest = envelope.SentAt > newest ? envelope.SentAt : newest;
        if (envelope.Body is AnnounceBody announce)
        {
            track.WillId = announce.WillId;
        }

        return new Verdict(null, false);
    }

    /// <summary>Keepalives and events: recent, and each envelope id accepted once.</summary>
    private Verdict CheckFresh(Envelope envelope)
    {
        if (token is null)
        {
            return new Verdict(null, false);
        }

        var now = time.GetUtcNow();
        if ((now - envelope.SentAt).Duration() > Window)
        {
            return new Verdict($"{envelope.Type}: sent at {envelope.SentAt:O}, more than {Window.TotalMinutes:0} minutes from the orchestrator's clock", false);
        }

        while (_seenOrder.TryPeek(out var oldest) && (now - oldest.SentAt > Window || _seenOrder.Count >= MaxSeenIds))
        {
            _seenOrder.Dequeue();
            _seen.Remove(oldest.Id);
        }

        if (!_seen.Add(envelope.Id))
        {
            return new Verdict($"{envelope.Type}: message id {envelope.Id} was already accepted (a replay)", false);
        }

        _seenOrder.Enqueue((envelope.Id, envelope.SentAt));
        return new Verdict(null, false);
    }

    private byte[] KeyOf(string runtimeId)
    {
        if (_keys.TryGetValue(runtimeId, out var key))
        {
            return key;
        }

        if (_keys.Count >= MaxCachedKeys)
        {
            _keys.Clear(); // ids come from topics anyone with broker access can name: keep the cache bounded
        }

        key = Wafer.Protocol.Security.FleetKeys.Runtime(token!, runtimeId);
        _keys[runtimeId] = key;
        return key;
    }

    /// <summary>The outcome of a check.</summary>
    /// <param name="Refusal">Why the message is refused; null when it is accepted.</param>
    /// <param name="IsWill">The message is the runtime's announced last will (an <c>offline</c> status the broker sent for it).</param>
    /// <param name="Stale">The refusal is only that the message is older than one already accepted (an announcement or status).</param>
    public readonly record struct Verdict(string? Refusal, bool IsWill, bool Stale = false);

    private sealed class Track
    {
        public string? WillId;
        public DateTimeOffset NewestAnnounce = DateTimeOffset.MinValue;
        public DateTimeOffset NewestStatus = DateTimeOffset.MinValue;
    }
}
