using System.Buffers;
using System.Buffers.Binary;
using System.IO.Pipelines;
using System.Security.Cryptography;
using System.Text;

namespace Wafer.Protocol.Calls;

/// <summary>
/// The step after the preambles (docs/call-protocol.md, "Connection"): the runtime sends a fresh random challenge, the
/// gateway answers with its HMAC-SHA256 keyed with the fleet's call-port key (<see cref="Security.FleetKeys.CallPort"/>),
/// and the runtime answers with its verdict. A recorded proof is worthless on another connection, whose challenge
/// differs. Every handshake frame has id 0, like the goodbye, which only comes after it.
/// </summary>
public static class CallHandshake
{
    public const int ChallengeBytes = 32;

    public const int ProofBytes = 32;

    /// <summary>The largest handshake frame either side reads (the verdict's reason is the longest part).</summary>
    public const int MaxFrameBytes = 4 * 1024;

    /// <summary>How long the runtime waits for the proof, and the gateway for each step, before giving up on the connection.</summary>
    public static readonly TimeSpan Within = TimeSpan.FromSeconds(5);

    /// <summary>A runtime's verdict that lets calls follow.</summary>
    public const int Accepted = 200;

    /// <summary>A runtime's verdict on a missing or wrong proof; it then closes the connection.</summary>
    public const int Refused = 401;

    public static byte[] NewChallenge() => RandomNumberGenerator.GetBytes(ChallengeBytes);

    /// <summary>The proof for <paramref name="challenge"/>; empty without a key (a fleet without a token).</summary>
    public static byte[] Prove(byte[]? key, ReadOnlySpan<byte> challenge) => key is null ? [] : HMACSHA256.HashData(key, challenge);

    /// <summary>Whether <paramref name="proof"/> answers <paramref name="challenge"/> under <paramref name="key"/>, in constant time.</summary>
    public static bool Verify(byte[] key, ReadOnlySpan<byte> challenge, ReadOnlySpan<byte> proof)
    {
        ArgumentNullException.ThrowIfNull(key);
        Span<byte> expected = stackalloc byte[ProofBytes];
        HMACSHA256.HashData(key, challenge, expected);
        return proof.Length == ProofBytes && CryptographicOperations.FixedTimeEquals(expected, proof);
    }

    /// <summary>Writes a handshake frame (id 0) carrying <paramref name="payload"/>: the challenge or the proof.</summary>
    public static void Write(IBufferWriter<byte> writer, ReadOnlySpan<byte> payload)
    {
        ArgumentNullException.ThrowIfNull(writer);
        var span = writer.GetSpan(CallFrames.HeaderBytes + payload.Length);
        BinaryPrimitives.WriteInt32BigEndian(span, 4 + payload.Length);
        BinaryPrimitives.WriteUInt32BigEndian(span[4..], CallFrames.GoAwayId);
        payload.CopyTo(span[CallFrames.HeaderBytes..]);
        writer.Advance(CallFrames.HeaderBytes + payload.Length);
    }

    /// <summary>Writes the runtime's verdict: <see cref="Accepted"/>, or <see cref="Refused"/> with the reason.</summary>
    public static void WriteVerdict(IBufferWriter<byte> writer, int status, string reason)
    {
        var text = Encoding.UTF8.GetBytes(reason);
        var payload = new byte[2 + Math.Min(text.Length, MaxFrameBytes - 16)];
        BinaryPrimitives.WriteUInt16BigEndian(payload, checked((ushort)status));
        text.AsSpan(0, payload.Length - 2).CopyTo(payload.AsSpan(2));
        Write(writer, payload);
    }

    /// <summary>Reads a verdict's payload.</summary>
    /// <exception cref="InvalidDataException">The payload is cut short.</exception>
    public static (int Status, string Reason) ReadVerdict(ReadOnlySpan<byte> payload) =>
        payload.Length >= 2
            ? (BinaryPrimitives.ReadUInt16BigEndian(payload), Encoding.UTF8.GetString(payload[2..]))
            : throw new InvalidDataException("a handshake verdict without a status");

    /// <summary>Reads the next frame, which must be a handshake frame (id 0); returns its payload.</summary>
    /// <exception cref="InvalidDataException">The connection closed first, or the frame is not a handshake frame.</exception>
    public static async Task<byte[]> ReadAsync(PipeReader input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        while (true)
        {
            var read = await input.ReadAsync(cancellationToken);
            var buffer = read.Buffer;
            if (CallFrames.TryRead(ref buffer, MaxFrameBytes, out var id, out var payload))
            {
                var bytes = payload.ToArray();
                input.AdvanceTo(buffer.Start);
                return id == CallFrames.GoAwayId ? bytes : throw new InvalidDataException($"a frame with id {id} where the handshake goes on");
            }

            input.AdvanceTo(buffer.Start, buffer.End);
            if (read.IsCompleted)
            {
                throw new InvalidDataException("the connection closed during the handshake");
            }
        }
    }
}
