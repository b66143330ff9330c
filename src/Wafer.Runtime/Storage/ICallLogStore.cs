namespace Wafer.Runtime.Storage;

/// <summary>Stored call log lines for <c>GET /api/logs</c>.</summary>
internal interface ICallLogStore
{
    Task AddAsync(IReadOnlyList<CallLogRecord> lines, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<CallLogRecord>> QueryAsync(CallLogQuery query, CancellationToken cancellationToken = default);
}
