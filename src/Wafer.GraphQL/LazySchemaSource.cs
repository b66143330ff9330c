namespace Wafer.GraphQL;

/// <summary>
/// A schema for the current version of some state (the catalog, the gateway's routes), rebuilt lazily on the first
/// request after a change and then shared by every request until the next change. Readers never lock once the
/// schema is current. A schema that fails to build never replaces a working one: the previous schema keeps serving
/// with a note saying so.
/// </summary>
public abstract class LazySchemaSource<TSnapshot> : ISchemaSource
{
    private readonly Lock _buildLock = new();
    private ServedSchema? _served;

    /// <summary>The schema for <see cref="Snapshot"/>, built if it changed since the last call.</summary>
    public ServedSchema Current
    {
        get
        {
            var served = Volatile.Read(ref _served);
            return served is not null && served.Version == VersionOf(Snapshot) ? served : Rebuild();
        }
    }

    /// <summary>The state the schema is built from, as it is now.</summary>
    protected abstract TSnapshot Snapshot { get; }

    /// <summary>What the versions count, in the note about a failed build ("catalog", "routes").</summary>
    protected abstract string SourceName { get; }

    protected abstract long VersionOf(TSnapshot snapshot);

    protected abstract GeneratedSchema Build(TSnapshot snapshot);

    protected abstract void OnBuildFailed(Exception exception, long version, long? previous);

    private ServedSchema Rebuild()
    {
        lock (_buildLock)
        {
            var snapshot = Snapshot;
            var version = VersionOf(snapshot);
            var previous = _served;
            if (previous is not null && previous.Version == version)
            {
                return previous;
            }

            ServedSchema next;
            try
            {
                var generated = Build(snapshot);
                next = new ServedSchema(version, generated.Schema, generated.Notes, generated.Plugins);
            }
            catch (Exception ex)
            {
                OnBuildFailed(ex, version, previous?.Version);
                var fallback = previous ?? Empty();
                next = new ServedSchema(
                    version, fallback.Schema, [.. fallback.Notes, $"the schema for {SourceName} version {version} failed to build: {ex.Message}"], fallback.Plugins);
            }

            Volatile.Write(ref _served, next);
            return next;
        }
    }

    private static ServedSchema Empty() =>
        new(0, SchemaGenerator.Generate([], _ => throw new InvalidOperationException("no functions")).Schema, [], new Dictionary<string, PluginSchemaStatus>());
}
