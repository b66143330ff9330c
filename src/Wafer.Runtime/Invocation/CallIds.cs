namespace Wafer.Runtime.Invocation;

/// <summary>Short, unique-per-process call ids: a random process prefix and a counter.</summary>
internal static class CallIds
{
    private static readonly string Prefix = Convert.ToHexStringLower(BitConverter.GetBytes(Random.Shared.Next()))[..6];
    private static long _next;

    public static string Next() => string.Create(null, stackalloc char[32], $"{Prefix}-{Interlocked.Increment(ref _next):x}");
}
