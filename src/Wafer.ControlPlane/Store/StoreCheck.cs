using Microsoft.Extensions.Hosting;
using Wafer.Storage;

namespace Wafer.ControlPlane.Store;

/// <summary>
/// Checks the orchestrator's store before anything else starts. The store holds the fleet (deployments, runtimes,
/// modules), so unlike a runtime's state database a damaged one is never replaced: the orchestrator refuses to start
/// and says how to recover, and one that does not answer stops the start as well.
/// </summary>
internal sealed class StoreCheck(ControlDatabase database) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            await database.CheckAsync(integrity: true, cancellationToken);
        }
        catch (Exception ex) when (StateDatabase.IsCorruption(ex))
        {
            throw new InvalidOperationException(
                $"the store {database.SqliteFile} is damaged ({ex.Message}). It holds the fleet's deployments, so it is not replaced: " +
                "restore it from a backup, or move it aside to start with an empty fleet", ex);
        }
        catch (Exception ex) when (ex is System.Data.Common.DbException or System.Net.Sockets.SocketException or TimeoutException or IOException)
        {
            throw new InvalidOperationException($"the store ({database.Description}) does not answer: {ex.Message}", ex);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
