namespace Wafer.Storage;

/// <summary>The two databases Wafer keeps its state in (runtimes and orchestrators alike). SQL is shared where both agree; DDL differs.</summary>
public enum SqlDialect
{
    Sqlite,
    Postgres,
}
