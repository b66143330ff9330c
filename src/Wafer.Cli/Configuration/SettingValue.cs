namespace Wafer.Cli.Configuration;

/// <summary>
/// One setting's value from a source other than the command line: <paramref name="Key"/> is the flag's name without
/// dashes (<c>maxConcurrentCalls</c>), <paramref name="Source"/> says where it came from for error messages
/// (<c>WAFER_MAX_CONCURRENT_CALLS</c>, <c>/etc/wafer/config.json: maxConcurrentCalls</c>).
/// </summary>
/// <param name="Command">The server command a file section limits it to (<c>serve</c>…), or null for every one.</param>
public sealed record SettingValue(string Key, string Value, string Source, string? Command = null);
