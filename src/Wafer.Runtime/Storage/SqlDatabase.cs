using System.Data.Common;
using Wafer.Storage;

namespace Wafer.Runtime.Storage;

/// <summary>The runtime's state database (inference history, call logs, jobs); see <see cref="StateDatabase"/>.</summary>
internal sealed class SqlDatabase : StateDatabase
{
    private SqlDatabase(string? database, string storagePath)
        : base(database, Path.Combine(storagePath, "wafer.db"), sharedCache: true)
    {
    }

    /// <summary>
    /// Opens <paramref name="database"/>: a PostgreSQL connection string (<c>postgres://…</c> or <c>Host=…</c>)
    /// or a SQLite file path; null means <c>wafer.db</c> in <paramref name="storagePath"/>.
    /// </summary>
    public static SqlDatabase Open(string? database, string storagePath) => new(database, storagePath);

    protected override Task MigrateAsync(DbConnection connection, CancellationToken cancellationToken) =>
        Migrations.ApplyAsync(connection, Dialect, cancellationToken);
}
