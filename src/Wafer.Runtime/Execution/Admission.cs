namespace Wafer.Runtime.Execution;

/// <summary>Whether a call got an execution slot, and if not, which limit turned it away (it did not run).</summary>
internal enum Admission
{
    Entered,

    /// <summary>Every slot is taken and <c>--maxQueuedCalls</c> calls wait already.</summary>
    QueueFull,

    /// <summary>The function runs its share of slots and as many of its calls wait already.</summary>
    FunctionBusy,

    /// <summary>The call waited <c>--queueTimeout</c> for a slot and got none.</summary>
    TimedOut,
}
