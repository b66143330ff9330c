namespace Wafer.Runtime.Storage;

/// <summary>Job records; they survive restarts (SQLite by default, PostgreSQL with <c>--db</c>).</summary>
public interface IJobStore
{
    /// <summary>Inserts a new record or replaces the record with the same id.</summary>
    Task SaveAsync(JobRecord job, CancellationToken cancellationToken = default);

    Task<JobRecord?> GetAsync(string id, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<JobRecord>> ListAsync(int offset, int limit, CancellationToken cancellationToken = default);

    /// <summary>Marks jobs left running by a previous process as failed ("interrupted by a restart").</summary>
    Task<int> FailInterruptedAsync(CancellationToken cancellationToken = default);
}
