using System.Data.Common;
using System.Text.Json;
using Wafer.Storage;

namespace Wafer.Runtime.Storage;

/// <summary>Job records in the state database.</summary>
internal sealed class SqlJobStore(SqlDatabase database) : IJobStore
{
    private const string Columns = "id, plugin, state, args, env, exit_code, stdout, stderr, stdout_truncated, stderr_truncated, error, started_ms, duration_ms";

    public async Task SaveAsync(JobRecord job, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.Command($"""
            INSERT INTO jobs ({Columns}) VALUES (@id, @plugin, @state, @args, @env, @exit, @stdout, @stderr, @outCut, @errCut, @error, @started, @duration)
            ON CONFLICT (id) DO UPDATE SET plugin = excluded.plugin, state = excluded.state, args = excluded.args, env = excluded.env,
              exit_code = excluded.exit_code, stdout = excluded.stdout, stderr = excluded.stderr, stdout_truncated = excluded.stdout_truncated,
              stderr_truncated = excluded.stderr_truncated, error = excluded.error, started_ms = excluded.started_ms, duration_ms = excluded.duration_ms
            """)
            .With("id", job.Id).With("plugin", job.Plugin).With("state", job.State)
            .With("args", JsonSerializer.Serialize(job.Args)).With("env", JsonSerializer.Serialize(job.Env))
            .With("exit", job.ExitCode).With("stdout", job.Stdout).With("stderr", job.Stderr)
            .With("outCut", job.StdoutTruncated ? 1 : 0).With("errCut", job.StderrTruncated ? 1 : 0).With("error", job.Error)
            .With("started", job.StartedAt.ToUnixTimeMilliseconds()).With("duration", job.DurationMs);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<JobRecord?> GetAsync(string id, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.Command($"SELECT {Columns} FROM jobs WHERE id = @id").With("id", id);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? Read(reader) : null;
    }

    public async Task<IReadOnlyList<JobRecord>> ListAsync(int offset, int limit, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.Command($"SELECT {Columns} FROM jobs ORDER BY started_ms DESC, id DESC LIMIT @limit OFFSET @offset")
            .With("limit", limit).With("offset", offset);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var jobs = new List<JobRecord>();
        while (await reader.ReadAsync(cancellationToken))
        {
            jobs.Add(Read(reader));
        }

        return jobs;
    }

    public async Task<int> FailInterruptedAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.Command("UPDATE jobs SET state = @failed, error = @error WHERE state = @running")
            .With("failed", JobRecord.Failed).With("error", "interrupted: the runtime restarted while the job was running")
            .With("running", JobRecord.Running);
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static JobRecord Read(DbDataReader reader) => new(
        reader.GetString(0), reader.GetString(1), reader.GetString(2),
        JsonSerializer.Deserialize<string[]>(reader.GetString(3)) ?? [],
        JsonSerializer.Deserialize<Dictionary<string, string>>(reader.GetString(4)) ?? [],
        reader.NullableInt(5), reader.GetString(6), reader.GetString(7),
        Convert.ToInt64(reader.GetValue(8), System.Globalization.CultureInfo.InvariantCulture) != 0,
        Convert.ToInt64(reader.GetValue(9), System.Globalization.CultureInfo.InvariantCulture) != 0,
        reader.NullableString(10), reader.Time(11), reader.NullableDouble(12));
}
