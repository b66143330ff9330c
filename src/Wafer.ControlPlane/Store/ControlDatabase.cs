using System.Data.Common;
using Wafer.Storage;

namespace Wafer.ControlPlane.Store;

/// <summary>The orchestrator's database (fleet state); see <see cref="StateDatabase"/>.</summary>
internal sealed class ControlDatabase : StateDatabase
{
    public const string DefaultFileName = "orchestrator.db";

    private ControlDatabase(string? database, string storagePath)
        : base(database, Path.Combine(storagePath, DefaultFileName), sharedCache: false)
    {
    }

    /// <summary>
    /// Opens <paramref name="database"/>: a PostgreSQL connection string (<c>postgres://…</c> or <c>Host=…</c>)
    /// or a SQLite file path; null means <see cref="DefaultFileName"/> in <paramref name="storagePath"/>.
    /// </summary>
    public static ControlDatabase Open(string? database, string storagePath) => new(database, storagePath);

    protected override Task MigrateAsync(DbConnection connection, CancellationToken cancellationToken) =>
        ControlMigrations.ApplyAsync(connection, Dialect, cancellationToken);
}
