namespace Wafer.Runtime.Storage;

/// <summary>The inference history (SQLite by default, PostgreSQL with <c>--db</c>).</summary>
internal interface IInferenceStore
{
    Task AddAsync(InferenceRecord record, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<InferenceRecord>> QueryAsync(InferenceQuery query, CancellationToken cancellationToken = default);
}
