namespace Wafer.Runtime.Execution;

/// <summary>
/// The runtime's execution capacity: at most <see cref="CallSlotsOptions.Capacity"/> guest calls run at once, one
/// function at most <see cref="CallSlotsOptions.PerFunction"/> of them, so a function that never returns cannot take
/// every slot. A call that finds no slot waits in one first-come queue (bounded in length, in each function's share of
/// it, and in time); a call turned away did not run. A guest call blocks the thread it runs on, so the thread pool is
/// told to keep enough threads for every slot and the server's own work at once: slow guests never starve the server.
/// </summary>
internal sealed class CallSlots
{
    private readonly LinkedList<Waiter> _queue = []; // its own lock guards it and every waiter's share.Waiting
    private int _running;
    private int _waiting;

    public CallSlots(CallSlotsOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Options = options;
        ThreadPool.GetMinThreads(out var workers, out var io);
        var needed = options.Capacity + 4 * Environment.ProcessorCount;
        if (workers < needed)
        {
            ThreadPool.SetMinThreads(needed, io);
        }
    }

    public CallSlotsOptions Options { get; }

    /// <summary>Calls running now.</summary>
    public int Running => Volatile.Read(ref _running);

    /// <summary>Calls waiting for a slot now.</summary>
    public int Waiting => Volatile.Read(ref _waiting);

    /// <summary>Takes a slot for a call of the function owning <paramref name="share"/>, waiting for one if need be.</summary>
    public ValueTask<Admission> EnterAsync(CallShare share)
    {
        ArgumentNullException.ThrowIfNull(share);
        return TryTake(share) ? ValueTask.FromResult(Admission.Entered) : new ValueTask<Admission>(WaitAsync(share));
    }

    /// <summary>Gives back the slot a call of <paramref name="share"/>'s function held, to the first waiter that may have it.</summary>
    public void Exit(CallShare share)
    {
        ArgumentNullException.ThrowIfNull(share);
        Interlocked.Decrement(ref share.Running);
        Interlocked.Decrement(ref _running);
        if (Volatile.Read(ref _waiting) > 0)
        {
            lock (_queue)
            {
                GrantLocked();
            }
        }
    }

    // Lock-free: counts are raised first and lowered again when over, so a racing caller may be refused a slot that
    // was free for an instant; it then queues, and the exit that freed the slot grants it.
    private bool TryTake(CallShare share)
    {
        if (Interlocked.Increment(ref share.Running) > Options.PerFunction)
        {
            Interlocked.Decrement(ref share.Running);
            return false;
        }

        if (Interlocked.Increment(ref _running) > Options.Capacity)
        {
            Interlocked.Decrement(ref _running);
            Interlocked.Decrement(ref share.Running);
            return false;
        }

        return true;
    }

    private async Task<Admission> WaitAsync(CallShare share)
    {
        Waiter waiter;
        lock (_queue)
        {
            if (TryTake(share))
            {
                return Admission.Entered;
            }

            if (share.Waiting >= Options.PerFunction)
            {
                return Admission.FunctionBusy;
            }

            if (_queue.Count >= Options.MaxQueued)
            {
                return Admission.QueueFull;
            }

            waiter = new Waiter(this, share);
            waiter.Node = _queue.AddLast(waiter);
            share.Waiting++;
            Interlocked.Increment(ref _waiting);
            GrantLocked(); // a slot freed by an exit that looked before this call counted itself as waiting
        }

        using var timer = new CancellationTokenSource(Options.QueueTimeout);
        await using var expiry = timer.Token.UnsafeRegister(static (state, _) => ((Waiter)state!).Owner.Expire((Waiter)state!), waiter);
        return await waiter.Granted.Task.ConfigureAwait(false) ? Admission.Entered : Admission.TimedOut;
    }

    private void Expire(Waiter waiter)
    {
        lock (_queue)
        {
            if (waiter.Node is null)
            {
                return; // granted just now
            }

            Dequeue(waiter);
        }

        waiter.Granted.TrySetResult(false);
    }

    // Under the queue's lock: hands free slots to waiters in arrival order, skipping those whose function has its share.
    private void GrantLocked()
    {
        for (var node = _queue.First; node is not null && Volatile.Read(ref _running) < Options.Capacity;)
        {
            var next = node.Next;
            var waiter = node.Value;
            if (TryTake(waiter.Share))
            {
                Dequeue(waiter);
                waiter.Granted.TrySetResult(true);
            }

            node = next;
        }
    }

    private void Dequeue(Waiter waiter)
    {
        _queue.Remove(waiter.Node!);
        waiter.Node = null;
        waiter.Share.Waiting--;
        Interlocked.Decrement(ref _waiting);
    }

    private sealed class Waiter(CallSlots owner, CallShare share)
    {
        public CallSlots Owner { get; } = owner;

        public CallShare Share { get; } = share;

        public LinkedListNode<Waiter>? Node { get; set; }

        public TaskCompletionSource<bool> Granted { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
