namespace Wafer.Protocol.Manifest;

/// <summary>A PostgreSQL connection for <c>sql.query</c> and <c>sql.execute</c>.</summary>
public sealed record PostgresConnectionSpec : ConnectionSpec
{
    public override string Type => PostgreSql;

    /// <summary>A <c>postgres://</c> URL or an Npgsql <c>Key=Value;…</c> connection string.</summary>
    public required string ConnString { get; init; }

    public override IEnumerable<(string Key, string Template)> Templates() => [("connString", ConnString)];
}
