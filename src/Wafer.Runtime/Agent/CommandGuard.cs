using System.Collections.Concurrent;
using Wafer.Protocol.V1;

namespace Wafer.Runtime.Agent;

/// <summary>
/// Decides whether a message really comes from the orchestrator when the runtime has the fleet token
/// (docs/protocol.md, "Signed messages"). A command must be signed with this runtime's key over its own command topic
/// (so one signed for another runtime, or captured from another topic, is refused), be recent, and is obeyed once (a
/// copy replayed by someone who can publish to the broker is refused). The orchestrator's status must be signed with
/// the orchestrator's key. Without a token everything is accepted.
/// </summary>
internal sealed class CommandGuard(RuntimeKeys? keys, TimeProvider time)
{
    /// <summary>How far a command's <c>sentAt</c> may be from this runtime's clock.</summary>
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(5);

    private readonly ConcurrentDictionary<string, DateTimeOffset> _seen = new(StringComparer.Ordinal);

    public bool Required => keys is not null;

    /// <summary>Null when <paramref name="message"/>, received on <paramref name="topic"/>, may be acted on; else why it is refused.</summary>
    public string? Check(string topic, Envelope message, ReadOnlySpan<byte> payload, string? signature)
    {
        if (keys is null)
        {
            return null;
        }

        var isCommand = message.Body is CreateModuleBody or DeleteModuleBody or DrainBody or ShutdownBody;
        if (signature is null)
        {
            return isCommand
                ? $"refused {message.Type}: unsigned, and this runtime obeys only commands signed with the orchestrator's token"
                : $"refused {message.Type}: unsigned, and this runtime accepts only messages signed with the fleet token";
        }

        if (!isCommand)
        {
            return MessageSignature.Matches(keys.Orchestrator, topic, payload, signature)
                ? null
                : $"refused {message.Type}: the signature does not match the orchestrator's key for {topic}";
        }

        if (!MessageSignature.Matches(keys.Own, topic, payload, signature))
        {
            return $"refused {message.Type}: the signature does not match this runtime's key for {topic} (signed for another runtime or topic, or with another token)";
        }

        var now = time.GetUtcNow();
        if ((now - message.SentAt).Duration() > Window)
        {
            return $"refused {message.Type}: sent at {message.SentAt:O}, more than {Window.TotalMinutes:0} minutes from this runtime's clock";
        }

        Prune(now);
        // The signature covers the envelope's id and sentAt: a resend of the same request has a new sentAt, a replay does not.
        return _seen.TryAdd(signature, message.SentAt) ? null : $"refused {message.Type}: the same signed command was already carried out (a replay)";
    }

    private void Prune(DateTimeOffset now)
    {
        foreach (var (signature, sentAt) in _seen)
        {
            if (now - sentAt > Window)
            {
                _seen.TryRemove(signature, out _);
            }
        }
    }
}
