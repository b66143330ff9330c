namespace Wafer.ControlPlane.Store;

/// <summary>The two databases the orchestrator keeps its state in. SQL is shared where both agree; DDL differs.</summary>
public enum StoreDialect
{
    Sqlite,
    Postgres,
}
