namespace Wafer.Runtime.Execution;

/// <summary>
/// One function's (or one handler plugin's) part of the runtime's execution slots (<see cref="CallSlots"/>): how many
/// of its calls run and wait now. It lives with the function, so a function that is unloaded takes its count along.
/// </summary>
public sealed class CallShare
{
    internal int Running;
    internal int Waiting;

    /// <summary>Calls of this function running now.</summary>
    public int RunningNow => Volatile.Read(ref Running);
}
