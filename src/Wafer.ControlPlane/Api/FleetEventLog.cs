using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Wafer.ControlPlane.Api;

/// <summary>
/// The fleet's recent events for <c>GET /api/events</c> and the console: the reconciler's own named log events (a
/// runtime announced, lost or back; a module placed, running, failed or deleted; a deployment applied or removed; a
/// drain; a job's end), kept as they are logged, so the feed and the log always say the same thing. Bounded: the
/// newest <see cref="Capacity"/> events; older ones are forgotten.
/// </summary>
[ProviderAlias(Alias)]
internal sealed class FleetEventLog(TimeProvider time) : ILoggerProvider
{
    public const string Alias = "FleetEvents";

    /// <summary>How many events are kept.</summary>
    public const int Capacity = 1000;

    /// <summary>The log categories whose events are the fleet's: the reconciler's.</summary>
    public const string Category = "Wafer.ControlPlane.Scheduling";

    private readonly Lock _gate = new();
    private readonly Queue<FleetEvent> _events = new();
    private long _last;

    public ILogger CreateLogger(string categoryName) =>
        categoryName.StartsWith(Category, StringComparison.Ordinal) ? new Recorder(this) : NullLogger.Instance;

    /// <summary>The id of the newest event; 0 before the first.</summary>
    public long Last
    {
        get
        {
            lock (_gate)
            {
                return _last;
            }
        }
    }

    /// <summary>At most <paramref name="limit"/> events, oldest first: those after <paramref name="after"/>, or the newest when it is null.</summary>
    public IReadOnlyList<FleetEvent> Read(long? after, int limit)
    {
        lock (_gate)
        {
            var events = after is { } id ? _events.Where(e => e.Id > id).Take(limit) : _events.Skip(Math.Max(0, _events.Count - limit));
            return events.ToList();
        }
    }

    public void Dispose()
    {
    }

    private void Add(LogLevel level, EventId id, string message, IReadOnlyList<KeyValuePair<string, object?>>? state)
    {
        var fields = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var (key, value) in state ?? [])
        {
            if (key != "{OriginalFormat}")
            {
                fields[key] = Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture);
            }
        }

        lock (_gate)
        {
            _events.Enqueue(new FleetEvent(++_last, time.GetUtcNow(), level.ToString().ToLowerInvariant(), id.Name!, message, fields));
            if (_events.Count > Capacity)
            {
                _events.Dequeue();
            }
        }
    }

    private sealed class Recorder(FleetEventLog log) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel) && eventId.Name is not null) // named events only: they are the fleet's vocabulary
            {
                log.Add(logLevel, eventId, formatter(state, exception), state as IReadOnlyList<KeyValuePair<string, object?>>);
            }
        }
    }
}

/// <summary>One fleet event: its id (increasing), when, the log level and event name, the message and its named fields.</summary>
internal sealed record FleetEvent(long Id, DateTimeOffset Time, string Level, string Name, string Message, IReadOnlyDictionary<string, string?> Fields);
