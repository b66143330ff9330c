namespace Wafer.Runtime.Execution;

/// <summary>The execution capacity of a runtime (<see cref="CallSlots"/>), from <see cref="Hosting.RuntimeOptions"/>.</summary>
public sealed record CallSlotsOptions(int Capacity, int PerFunction, int MaxQueued, TimeSpan QueueTimeout);
