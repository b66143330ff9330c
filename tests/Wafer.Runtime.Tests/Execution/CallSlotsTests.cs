using System.Diagnostics;
using Wafer.Runtime.Execution;

namespace Wafer.Runtime.Tests.Execution;

/// <summary>
/// The execution slots every guest call takes (<see cref="CallSlots"/>): a global limit, each function's share of it,
/// a bounded first-come queue with a time limit, and the limit that turned a call away.
/// </summary>
public sealed class CallSlotsTests
{
    private static CallSlots Slots(int capacity = 4, int perFunction = 2, int maxQueued = 8, int queueTimeoutMs = 10_000) =>
        new(new CallSlotsOptions(capacity, perFunction, maxQueued, TimeSpan.FromMilliseconds(queueTimeoutMs)));

    [Fact]
    public async Task FunctionAtItsShare_OtherFunctionsStillRun()
    {
        var slots = Slots();
        var loop = new CallShare();
        Assert.Equal(Admission.Entered, await slots.EnterAsync(loop));
        Assert.Equal(Admission.Entered, await slots.EnterAsync(loop));

        var waiting = slots.EnterAsync(loop);
        var greet = new CallShare();

        Assert.False(waiting.IsCompleted); // the loop's third call waits for one of its own to end
        Assert.Equal(Admission.Entered, await slots.EnterAsync(greet)); // another function does not
        Assert.Equal((3, 1), (slots.Running, slots.Waiting));
    }

    [Fact]
    public async Task SlotFreed_GoesToTheFirstWaiterThatMayTakeIt()
    {
        var slots = Slots(capacity: 2, perFunction: 2);
        var a = new CallShare();
        var b = new CallShare();
        await slots.EnterAsync(a);
        await slots.EnterAsync(a);
        var first = slots.EnterAsync(b).AsTask();
        var second = slots.EnterAsync(b).AsTask();

        slots.Exit(a);

        Assert.Equal(Admission.Entered, await first.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.False(second.IsCompleted);
        slots.Exit(a);
        Assert.Equal(Admission.Entered, await second.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal((2, 0), (slots.Running, slots.Waiting));
    }

    [Fact]
    public async Task FunctionWithItsShareRunningAndWaiting_TurnedAwayAtOnce()
    {
        var slots = Slots(capacity: 10, perFunction: 2);
        var loop = new CallShare();
        await slots.EnterAsync(loop);
        await slots.EnterAsync(loop);
        _ = slots.EnterAsync(loop);
        _ = slots.EnterAsync(loop);

        Assert.Equal(Admission.FunctionBusy, await slots.EnterAsync(loop));
    }

    [Fact]
    public async Task QueueFull_TurnedAwayAtOnce()
    {
        var slots = Slots(capacity: 1, perFunction: 1, maxQueued: 2);
        await slots.EnterAsync(new CallShare());
        _ = slots.EnterAsync(new CallShare());
        _ = slots.EnterAsync(new CallShare());

        Assert.Equal(Admission.QueueFull, await slots.EnterAsync(new CallShare()));
        Assert.Equal(2, slots.Waiting);
    }

    [Fact]
    [Trait("Timing", "Sensitive")]
    public async Task NoSlotWithinTheQueueTimeout_TimedOut_AndLeavesTheQueue()
    {
        var slots = Slots(capacity: 1, perFunction: 1, queueTimeoutMs: 200);
        await slots.EnterAsync(new CallShare());
        var clock = Stopwatch.StartNew();

        var admission = await slots.EnterAsync(new CallShare());

        Assert.Equal(Admission.TimedOut, admission);
        Assert.InRange(clock.Elapsed, TimeSpan.FromMilliseconds(150), TimeSpan.FromSeconds(10));
        Assert.Equal((1, 0), (slots.Running, slots.Waiting));
    }

    [Fact]
    public async Task ManyCallsAtOnce_NeverMoreThanTheLimitsRun_EachEntersOrIsTurnedAway()
    {
        var slots = Slots(capacity: 3, perFunction: 2, maxQueued: 1000);
        var shares = new[] { new CallShare(), new CallShare(), new CallShare() };
        int active = 0, peak = 0;
        var activeOf = new int[shares.Length];
        var peaks = new int[shares.Length];
        var admissions = await Task.WhenAll(Enumerable.Range(0, 300).Select(i => Task.Run(async () =>
        {
            var which = i % shares.Length;
            var admission = await slots.EnterAsync(shares[which]);
            if (admission != Admission.Entered)
            {
                return admission; // its function had its share running and as many waiting
            }

            InterlockedMax(ref peak, Interlocked.Increment(ref active));
            InterlockedMax(ref peaks[which], Interlocked.Increment(ref activeOf[which]));
            await Task.Yield();
            Interlocked.Decrement(ref activeOf[which]);
            Interlocked.Decrement(ref active);
            slots.Exit(shares[which]);
            return admission;
        })));

        Assert.All(admissions, a => Assert.True(a is Admission.Entered or Admission.FunctionBusy, a.ToString()));
        Assert.True(admissions.Count(a => a == Admission.Entered) >= 3);
        Assert.InRange(peak, 1, 3);
        Assert.All(peaks, p => Assert.InRange(p, 1, 2));
        Assert.Equal((0, 0), (slots.Running, slots.Waiting));
    }

    private static void InterlockedMax(ref int target, int value)
    {
        var seen = Volatile.Read(ref target);
        while (value > seen && Interlocked.CompareExchange(ref target, value, seen) is var now && now != seen)
        {
            seen = now;
        }
    }
}
