namespace Wafer.Runtime.Storage;

/// <summary>
/// Which call log lines to read: the newest <paramref name="Limit"/>, optionally of one plugin, of one function
/// (<c>NAME</c> or <c>PLUGIN/NAME</c>), after a time.
/// </summary>
internal sealed record CallLogQuery(string? Plugin = null, string? Function = null, DateTimeOffset? Since = null, int Limit = 200);
