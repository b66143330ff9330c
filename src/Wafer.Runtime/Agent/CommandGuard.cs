using System.Collections.Concurrent;
using Wafer.Protocol.V1;

namespace Wafer.Runtime.Agent;

/// <summary>
/// Decides whether a command really comes from the orchestrator when the runtime has the fleet's control token:
/// the signature must match, the command must be recent, and the same signed message is obeyed once (a copy
/// replayed by someone who can publish to the broker is refused). Without a token every command is obeyed.
/// </summary>
public sealed class CommandGuard(string? token, TimeProvider time)
{
    /// <summary>How far a command's <c>sentAt</c> may be from this runtime's clock.</summary>
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(5);

    private readonly ConcurrentDictionary<string, DateTimeOffset> _seen = new(StringComparer.Ordinal);

    public bool Required => token is not null;

    /// <summary>Null when the command may be carried out; else why it is refused.</summary>
    public string? Check(Envelope command, ReadOnlySpan<byte> payload, string? signature)
    {
        if (token is null)
        {
            return null;
        }

        if (signature is null)
        {
            return $"refused {command.Type}: unsigned, and this runtime obeys only commands signed with the orchestrator's token";
        }

        if (!CommandSignature.Matches(token, payload, signature))
        {
            return $"refused {command.Type}: the signature does not match this runtime's token";
        }

        var now = time.GetUtcNow();
        if ((now - command.SentAt).Duration() > Window)
        {
            return $"refused {command.Type}: sent at {command.SentAt:O}, more than {Window.TotalMinutes:0} minutes from this runtime's clock";
        }

        Prune(now);
        return _seen.TryAdd(signature, command.SentAt) ? null : $"refused {command.Type}: the same signed command was already carried out (a replay)";
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
