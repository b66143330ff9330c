using Microsoft.Extensions.Logging;
using Wafer.Protocol.Routes;

namespace Wafer.Gateway.Routes;

/// <summary>
/// The routes the gateway serves: one volatile read per request, replaced as a whole when the feed (the orchestrator
/// in process, or its <c>/api/routes</c> from afar) publishes a new document. Waiters learn of every change.
/// </summary>
public sealed partial class RouteState(RouteSnapshotBuilder builder, ILogger<RouteState> logger)
{
    private readonly Lock _publishLock = new();
    private volatile RouteSnapshot _current = RouteSnapshot.Empty;
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public RouteSnapshot Current => _current;

    /// <summary>Builds and publishes the snapshot for <paramref name="document"/>.</summary>
    public void Publish(RouteDocument document)
    {
        var snapshot = builder.Build(document);
        TaskCompletionSource changed;
        lock (_publishLock)
        {
            _current = snapshot;
            changed = _changed;
            _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        changed.TrySetResult();
        if (logger.IsEnabled(LogLevel.Debug))
        {
            // Counting replicas walks every deployment: only when the line is written.
            RoutesPublished(logger, snapshot.Version, snapshot.Deployments.Count,
                snapshot.Deployments.Values.Sum(d => d.Replicas.Destinations.Count));
        }
    }

    /// <summary>
    /// Completes once the published version differs from <paramref name="version"/>, or after <paramref name="wait"/>;
    /// returns the snapshot current then.
    /// </summary>
    public async Task<RouteSnapshot> WaitForChangeAsync(long version, TimeSpan wait, CancellationToken cancellationToken)
    {
        Task changed;
        lock (_publishLock)
        {
            if (_current.Version != version)
            {
                return _current;
            }

            changed = _changed.Task;
        }

        try
        {
            await changed.WaitAsync(wait, cancellationToken);
        }
        catch (TimeoutException)
        {
        }

        return _current;
    }

    [LoggerMessage(EventId = 6000, EventName = "GatewayRoutesPublished", Level = LogLevel.Debug,
        Message = "Gateway routes version {Version}: {Deployments} deployment(s), {Replicas} replica(s)")]
    private static partial void RoutesPublished(ILogger logger, long version, int deployments, int replicas);
}
