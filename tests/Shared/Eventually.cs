namespace Wafer.Tests.Shared;

/// <summary>
/// Waits for a condition with a deadline instead of sleeping a fixed time: polls it until it holds, and past the deadline
/// fails naming what was awaited, the last error the condition threw, and whatever <c>context</c> adds (a process's log).
/// </summary>
internal static class Eventually
{
    /// <summary>How long a wait lasts unless the caller says: generous, for a loaded machine.</summary>
    public static readonly TimeSpan DefaultWithin = TimeSpan.FromSeconds(20);

    private static readonly TimeSpan DefaultEvery = TimeSpan.FromMilliseconds(25);

    public static async Task TrueAsync(Func<Task<bool>> condition, string what, TimeSpan? within = null, Func<string>? context = null, TimeSpan? every = null)
    {
        var limit = within ?? DefaultWithin;
        var deadline = DateTime.UtcNow + limit;
        Exception? last = null;
        while (true)
        {
            try
            {
                if (await condition())
                {
                    return;
                }
            }
            catch (Exception ex)
            {
                last = ex;
            }

            if (DateTime.UtcNow >= deadline)
            {
                Assert.Fail($"timed out after {limit.TotalSeconds:0.#}s waiting until {what}"
                            + (last is null ? "" : $" (last error: {last.Message})")
                            + (context is null ? "" : Environment.NewLine + context()));
            }

            await Task.Delay(every ?? DefaultEvery);
        }
    }

    public static Task TrueAsync(Func<bool> condition, string what, TimeSpan? within = null, Func<string>? context = null, TimeSpan? every = null) =>
        TrueAsync(() => Task.FromResult(condition()), what, within, context, every);
}
