namespace Wafer.Fleet.Tests.Support;

/// <summary>Polls a condition until it holds or a deadline passes, then fails naming what was awaited (with the fleet's logs).</summary>
public static class Eventually
{
    public static async Task TrueAsync(Func<Task<bool>> condition, string what, TimeSpan within, FleetCluster? cluster = null)
    {
        var deadline = DateTime.UtcNow + within;
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
                Assert.Fail($"timed out after {within.TotalSeconds:0}s waiting until {what}" + (last is null ? "" : $" (last error: {last.Message})")
                            + (cluster is null ? "" : "\n" + cluster.Logs()));
            }

            await Task.Delay(50);
        }
    }
}
