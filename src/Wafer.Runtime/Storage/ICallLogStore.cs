namespace Wafer.Runtime.Storage;

/// <summary>Stored guest log lines for <c>GET /api/logs</c>.</summary>
public interface ICallLogStore
{
    Task AddAsync(IReadOnlyList<CallLogRecord> lines, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<CallLogRecord>> QueryAsync(string? function, DateTimeOffset? since, int limit, CancellationToken cancellationToken = default);
}
