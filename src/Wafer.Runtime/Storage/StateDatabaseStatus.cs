namespace Wafer.Runtime.Storage;

/// <summary>
/// What the runtime knows of its state database, as <c>/readyz</c> shows it: <c>checking</c> until the first check
/// at start ends, then <c>ok</c>, <c>recovered</c> (a damaged SQLite file was moved to <see cref="Quarantined"/> and a new
/// one started) or <c>unavailable</c> (with the <see cref="Error"/>; checked again until it answers).
/// </summary>
internal sealed record StateDatabaseStatus(string Status, string Database, DateTimeOffset Since, string? Error = null, string? Quarantined = null)
{
    public const string Checking = "checking";
    public const string Ok = "ok";
    public const string Recovered = "recovered";
    public const string Unavailable = "unavailable";

    /// <summary>True when call logs, inferences and jobs can be read and written.</summary>
    public bool Usable => Status is Ok or Recovered;
}
