using Wafer.Runtime.Storage;

namespace Wafer.Runtime.Tests.Capabilities.Support;

/// <summary>An inference history in a list, for asserting what the models capability recorded.</summary>
internal sealed class InMemoryInferenceStore : IInferenceStore
{
    private readonly List<InferenceRecord> _records = [];

    public IReadOnlyList<InferenceRecord> Records
    {
        get
        {
            lock (_records)
            {
                return [.. _records];
            }
        }
    }

    public Task AddAsync(InferenceRecord record, CancellationToken cancellationToken = default)
    {
        lock (_records)
        {
            _records.Add(record);
        }

        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<InferenceRecord>> QueryAsync(InferenceQuery query, CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<InferenceRecord>>(Records
            .Where(r => (query.Plugin is null || r.Plugin == query.Plugin) && (query.Model is null || r.Model == query.Model))
            .Reverse().Skip(query.Offset).Take(query.Limit).ToArray());
}
