using System.Collections.Immutable;
using System.Data.Common;
using System.Text.Json;
using Wafer.ControlPlane.Artifacts;
using Wafer.ControlPlane.Fleet;
using Wafer.Protocol.V1;
using Wafer.Storage;

namespace Wafer.ControlPlane.Store;

/// <summary>The fleet state in SQLite or PostgreSQL (<see cref="ControlDatabase"/>).</summary>
internal sealed class SqlFleetStore(ControlDatabase database) : IFleetStore
{
    private const string DeploymentColumns = "name, hash, manifest, replicas, labels, config, created_ms, updated_ms, program";
    private const string RuntimeColumns =
        "id, name, labels, capacity, kinds, version, url, keepalive_sec, state, drain_requested, shutdown_sent, drain_started_ms, first_seen_ms, last_seen_ms, h2c_url";
    private const string ModuleColumns = "id, deployment, hash, runtime_id, status, reason, request_id, created_ms, updated_ms";

    public async Task<StoredFleet> LoadAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var deployments = await ReadAll(connection, $"SELECT {DeploymentColumns} FROM cp_deployments ORDER BY name", ReadDeployment, cancellationToken);
        var runtimes = await ReadAll(connection, $"SELECT {RuntimeColumns} FROM cp_runtimes ORDER BY id", ReadRuntime, cancellationToken);
        var modules = await ReadAll(connection, $"SELECT {ModuleColumns} FROM cp_modules ORDER BY id", ReadModule, cancellationToken);
        return new StoredFleet(deployments, runtimes, modules);
    }

    public Task SaveDeploymentAsync(Deployment d, CancellationToken cancellationToken = default) => ExecuteAsync(c => SaveDeployment(c, d), cancellationToken);

    public Task DeleteDeploymentAsync(string name, CancellationToken cancellationToken = default) => ExecuteAsync(c => DeleteDeployment(c, name), cancellationToken);

    public Task SaveRuntimeAsync(RuntimeNode r, CancellationToken cancellationToken = default) => ExecuteAsync(c => SaveRuntime(c, r), cancellationToken);

    public Task SaveModuleAsync(PlacedModule m, CancellationToken cancellationToken = default) => ExecuteAsync(c => SaveModule(c, m), cancellationToken);

    public Task DeleteModuleAsync(string id, CancellationToken cancellationToken = default) => ExecuteAsync(c => DeleteModule(c, id), cancellationToken);

    public async Task SaveChangesAsync(FleetChanges changes, CancellationToken cancellationToken = default)
    {
        if (changes.IsEmpty)
        {
            return;
        }

        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        foreach (var (name, deployment) in changes.Deployments)
        {
            await RunAsync(deployment is null ? DeleteDeployment(connection, name) : SaveDeployment(connection, deployment), transaction, cancellationToken);
        }

        foreach (var runtime in changes.Runtimes)
        {
            await RunAsync(SaveRuntime(connection, runtime), transaction, cancellationToken);
        }

        foreach (var (id, module) in changes.Modules)
        {
            await RunAsync(module is null ? DeleteModule(connection, id) : SaveModule(connection, module), transaction, cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
    }

    private async Task ExecuteAsync(Func<DbConnection, DbCommand> build, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await RunAsync(build(connection), null, cancellationToken);
    }

    private static async Task RunAsync(DbCommand command, DbTransaction? transaction, CancellationToken cancellationToken)
    {
        await using (command)
        {
            command.Transaction = transaction;
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    private static DbCommand SaveDeployment(DbConnection connection, Deployment d) =>
        connection.Command($"""
            INSERT INTO cp_deployments ({DeploymentColumns}) VALUES (@name, @hash, @manifest, @replicas, @labels, @config, @created, @updated, @program)
            ON CONFLICT (name) DO UPDATE SET hash = excluded.hash, manifest = excluded.manifest, replicas = excluded.replicas,
              labels = excluded.labels, config = excluded.config, created_ms = excluded.created_ms, updated_ms = excluded.updated_ms,
              program = excluded.program
            """)
            .With("name", d.Name).With("hash", d.Hash).With("manifest", d.Manifest).With("replicas", d.Replicas)
            .With("labels", JsonSerializer.Serialize(d.Labels)).With("config", JsonSerializer.Serialize(d.Config))
            .With("created", d.CreatedAt.ToUnixTimeMilliseconds()).With("updated", d.UpdatedAt.ToUnixTimeMilliseconds())
            .With("program", d.Program is null ? null : JsonSerializer.Serialize(d.Program, MessageCodec.Json));

    private static DbCommand DeleteDeployment(DbConnection connection, string name) =>
        connection.Command("DELETE FROM cp_deployments WHERE name = @name").With("name", name);

    private static DbCommand SaveRuntime(DbConnection connection, RuntimeNode r) =>
        connection.Command($"""
            INSERT INTO cp_runtimes ({RuntimeColumns})
            VALUES (@id, @name, @labels, @capacity, @kinds, @version, @url, @keepalive, @state, @drain, @shutdown, @drainStarted, @first, @last, @h2c)
            ON CONFLICT (id) DO UPDATE SET name = excluded.name, labels = excluded.labels, capacity = excluded.capacity, kinds = excluded.kinds,
              version = excluded.version, url = excluded.url, keepalive_sec = excluded.keepalive_sec, state = excluded.state,
              drain_requested = excluded.drain_requested, shutdown_sent = excluded.shutdown_sent, drain_started_ms = excluded.drain_started_ms,
              first_seen_ms = excluded.first_seen_ms, last_seen_ms = excluded.last_seen_ms, h2c_url = excluded.h2c_url
            """)
            .With("id", r.Id).With("name", r.Name).With("labels", JsonSerializer.Serialize(r.Labels))
            .With("capacity", JsonSerializer.Serialize(r.Capacity, MessageCodec.Json)).With("kinds", JsonSerializer.Serialize(r.Kinds))
            .With("version", r.Version).With("url", r.Url).With("keepalive", r.KeepaliveSec).With("state", StateNames.Of(r.State))
            .With("drain", r.DrainRequested ? 1 : 0).With("shutdown", r.ShutdownSent ? 1 : 0)
            .With("drainStarted", r.DrainStartedAt?.ToUnixTimeMilliseconds())
            .With("first", r.FirstSeen.ToUnixTimeMilliseconds()).With("last", r.LastSeen.ToUnixTimeMilliseconds()).With("h2c", r.H2cUrl);

    private static DbCommand SaveModule(DbConnection connection, PlacedModule m) =>
        connection.Command($"""
            INSERT INTO cp_modules ({ModuleColumns}) VALUES (@id, @deployment, @hash, @runtime, @status, @reason, @request, @created, @updated)
            ON CONFLICT (id) DO UPDATE SET deployment = excluded.deployment, hash = excluded.hash, runtime_id = excluded.runtime_id,
              status = excluded.status, reason = excluded.reason, request_id = excluded.request_id, created_ms = excluded.created_ms,
              updated_ms = excluded.updated_ms
            """)
            .With("id", m.Id).With("deployment", m.Deployment).With("hash", m.Hash).With("runtime", m.RuntimeId)
            .With("status", StateNames.Of(m.Status)).With("reason", m.Reason).With("request", m.RequestId)
            .With("created", m.CreatedAt.ToUnixTimeMilliseconds()).With("updated", m.UpdatedAt.ToUnixTimeMilliseconds());

    private static DbCommand DeleteModule(DbConnection connection, string id) =>
        connection.Command("DELETE FROM cp_modules WHERE id = @id").With("id", id);

    public async Task SaveArtifactAsync(ArtifactRecord a, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.Command("""
            INSERT INTO cp_artifacts (hash, size, manifest, created_ms) VALUES (@hash, @size, @manifest, @created)
            ON CONFLICT (hash) DO UPDATE SET manifest = COALESCE(excluded.manifest, cp_artifacts.manifest)
            """)
            .With("hash", a.Hash).With("size", a.Size).With("manifest", a.Manifest).With("created", a.CreatedAt.ToUnixTimeMilliseconds());
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<ArtifactRecord?> GetArtifactAsync(string hash, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.Command("SELECT hash, size, manifest, created_ms FROM cp_artifacts WHERE hash = @hash").With("hash", hash);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? new ArtifactRecord(reader.GetString(0), reader.Long(1), reader.NullableString(2), reader.Time(3))
            : null;
    }

    public async Task<ArtifactRecord?> FindArtifactByNameAsync(string name, CancellationToken cancellationToken = default)
    {
        // The manifest is JSON text: narrow by a LIKE on the name, then read each candidate's name for real.
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.Command(
                "SELECT hash, size, manifest, created_ms FROM cp_artifacts WHERE manifest LIKE @pattern ORDER BY created_ms DESC, hash")
            .With("pattern", "%" + name + "%");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            if (ManifestNormalizer.NameIn(reader.NullableString(2)) == name)
            {
                return new ArtifactRecord(reader.GetString(0), reader.Long(1), reader.NullableString(2), reader.Time(3));
            }
        }

        return null;
    }

    private static async Task<List<T>> ReadAll<T>(DbConnection connection, string sql, Func<DbDataReader, T> read, CancellationToken cancellationToken)
    {
        await using var command = connection.Command(sql);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var items = new List<T>();
        while (await reader.ReadAsync(cancellationToken))
        {
            items.Add(read(reader));
        }

        return items;
    }

    private static Deployment ReadDeployment(DbDataReader r) => new(
        r.GetString(0), r.GetString(1), r.GetString(2), ManifestNormalizer.KindOf(r.GetString(2)), (int)r.Long(3), Labels(r.GetString(4)),
        Labels(r.GetString(5)), r.Time(6), r.Time(7))
    {
        Program = r.NullableString(8) is { } program ? JsonSerializer.Deserialize<ProgramSpec>(program, MessageCodec.Json) : null,
    };

    private static RuntimeNode ReadRuntime(DbDataReader r) => new(
        r.GetString(0), r.GetString(1), Labels(r.GetString(2)),
        JsonSerializer.Deserialize<Capacity>(r.GetString(3), MessageCodec.Json) ?? new Capacity(0, 0, 0),
        [.. JsonSerializer.Deserialize<string[]>(r.GetString(4)) ?? []],
        r.GetString(5), r.GetString(6), (int)r.Long(7), StateNames.ParseRuntimeState(r.GetString(8)), r.Long(9) != 0, r.Long(10) != 0,
        r.Time(12), r.Time(13), r.NullableTime(11), H2cUrl: r.NullableString(14));

    private static PlacedModule ReadModule(DbDataReader r) => new(
        r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3), StateNames.ParseModuleStatus(r.GetString(4)), r.NullableString(5), r.GetString(6),
        r.Time(7), r.Time(8));

    private static ImmutableSortedDictionary<string, string> Labels(string json) =>
        (JsonSerializer.Deserialize<Dictionary<string, string>>(json) ?? []).ToImmutableSortedDictionary(StringComparer.Ordinal);
}
