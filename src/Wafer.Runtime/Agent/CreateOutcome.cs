namespace Wafer.Runtime.Agent;

/// <summary>What a <c>create_module</c> did: a failure reason (null when the module runs) and the module ids it displaced.</summary>
public sealed record CreateOutcome(string? Failure, IReadOnlyList<string> Displaced);
