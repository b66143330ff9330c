namespace Wafer.Runtime.Storage;

/// <summary>The two databases Wafer keeps its state in. SQL is shared where both agree; DDL differs.</summary>
public enum SqlDialect
{
    Sqlite,
    Postgres,
}
