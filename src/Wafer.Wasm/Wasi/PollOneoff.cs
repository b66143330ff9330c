using System.Buffers.Binary;
using System.Diagnostics;
using Wasmtime;

namespace Wafer.Wasm.Wasi;

/// <summary>
/// WASI <c>poll_oneoff</c>, which is how guests sleep (<c>sleep</c>, <c>nanosleep</c>, <c>std::thread::sleep</c>).
/// Wasmtime's version blocks the host thread for the whole wait, out of reach of the epoch deadline; this one
/// waits in short slices and checks the run's deadline and cancellation between them. Stdin is a file and stdout
/// and stderr are host buffers, so a read or write subscription is always ready at once. A function call (as
/// opposed to a command run) may not sleep: the wait fails with <c>ENOTSUP</c>.
/// </summary>
internal static class PollOneoff
{
    private const int SubscriptionSize = 48;
    private const int EventSize = 32;
    private const int Success = 0;
    private const int Fault = 21;
    private const int Invalid = 28;
    private const int NotSupported = 58;
    private const byte ClockTag = 0;
    private const int RealtimeClock = 0;
    private const ushort AbsoluteTime = 1;
    private static readonly TimeSpan Slice = TimeSpan.FromMilliseconds(10);

    public static int Call(Caller caller, int subscriptionsPtr, int eventsPtr, int count, int countOutPtr)
    {
        var memory = caller.GetMemory("memory");
        var subscriptions = (uint)count;
        if (memory is null || subscriptions == 0)
        {
            return memory is null ? Fault : Invalid;
        }

        var size = memory.GetLength();
        if (!Fits(size, subscriptionsPtr, subscriptions * SubscriptionSize) || !Fits(size, eventsPtr, subscriptions * EventSize)
            || !Fits(size, countOutPtr, 4))
        {
            return Fault;
        }

        // Read everything first: the memory may move while we wait.
        var entries = new (ulong UserData, byte Tag, TimeSpan Wait)[subscriptions];
        var anyReady = false;
        var shortest = TimeSpan.MaxValue;
        for (var i = 0; i < entries.Length; i++)
        {
            var s = memory.GetSpan((long)(uint)subscriptionsPtr + (i * SubscriptionSize), SubscriptionSize);
            var tag = s[8];
            var wait = TimeSpan.Zero;
            if (tag == ClockTag)
            {
                var clock = BinaryPrimitives.ReadInt32LittleEndian(s[16..]);
                var timeout = BinaryPrimitives.ReadUInt64LittleEndian(s[24..]);
                var flags = BinaryPrimitives.ReadUInt16LittleEndian(s[40..]);
                if ((flags & AbsoluteTime) != 0 && clock != RealtimeClock)
                {
                    return NotSupported; // the guest's monotonic origin is Wasmtime's, not known here
                }

                var nanoseconds = (flags & AbsoluteTime) != 0
                    ? (long)Math.Min(timeout, long.MaxValue) - UnixNanoseconds()
                    : (long)Math.Min(timeout, long.MaxValue);
                wait = nanoseconds <= 0 ? TimeSpan.Zero : TimeSpan.FromTicks(Math.Min(nanoseconds / 100, TimeSpan.MaxValue.Ticks / 2));
                shortest = wait < shortest ? wait : shortest;
            }
            else if (tag is 1 or 2)
            {
                anyReady = true;
            }
            else
            {
                return Invalid;
            }

            entries[i] = (BinaryPrimitives.ReadUInt64LittleEndian(s), tag, wait);
        }

        if (!anyReady && shortest > TimeSpan.Zero)
        {
            if (caller.GetData() is not CommandRunState run)
            {
                return NotSupported;
            }

            Wait(run, shortest);
        }

        memory = caller.GetMemory("memory")!;
        var written = 0;
        foreach (var (userData, tag, wait) in entries)
        {
            if (anyReady ? tag == ClockTag : wait > shortest)
            {
                continue;
            }

            var e = memory.GetSpan((long)(uint)eventsPtr + (written++ * EventSize), EventSize);
            e.Clear();
            BinaryPrimitives.WriteUInt64LittleEndian(e, userData);
            e[10] = tag;
        }

        BinaryPrimitives.WriteInt32LittleEndian(memory.GetSpan((long)(uint)countOutPtr, 4), written);
        return Success;
    }

    /// <summary>Waits in slices, ending the run (by throwing) when its deadline passes or the host is stopping.</summary>
    private static void Wait(CommandRunState run, TimeSpan duration)
    {
        var started = Stopwatch.GetTimestamp();
        while (true)
        {
            run.Check();
            var left = duration - Stopwatch.GetElapsedTime(started);
            if (left <= TimeSpan.Zero)
            {
                return;
            }

            run.CancellationToken.WaitHandle.WaitOne(left < Slice ? left : Slice);
        }
    }

    private static bool Fits(long memorySize, int ptr, long length) => (long)(uint)ptr + length <= memorySize;

    private static long UnixNanoseconds() => (DateTime.UtcNow - DateTime.UnixEpoch).Ticks * 100;
}
