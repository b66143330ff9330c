using Wafer.Protocol.V1;

namespace Wafer.ControlPlane.Mqtt;

/// <summary>
/// Checks that go beyond the codec's shape checks: value ranges, sizes and null elements in what runtimes send.
/// A message that fails one is refused like a malformed one.
/// </summary>
internal static class InboundValidator
{
    public const int MaxModules = 10_000;
    public const int MaxLabels = 64;

    /// <summary>Null when <paramref name="envelope"/> is acceptable; otherwise what is wrong with it.</summary>
    public static string? Problem(Envelope envelope) => envelope.Body switch
    {
        AnnounceBody b => Announce(b),
        StatusBody b => b.State is StatusBody.Online or StatusBody.Draining or StatusBody.Offline
            ? null
            : $"status: state must be online, draining or offline, got '{Clip(b.State)}'",
        KeepaliveBody b => Keepalive(b),
        ModuleRunningBody b => Id("module_running", "moduleId", b.ModuleId) ?? Text("module_running", "plugin", b.Plugin, 64) ?? Text("module_running", "hash", b.Hash, 128),
        ModuleFailedBody b => Id("module_failed", "moduleId", b.ModuleId),
        ModuleDeletedBody b => Id("module_deleted", "moduleId", b.ModuleId),
        _ => null,
    };

    private static string? Announce(AnnounceBody b)
    {
        if (Text("announce", "name", b.Name, 128) is { } name)
        {
            return name;
        }

        if (b.Labels.Count > MaxLabels)
        {
            return $"announce: at most {MaxLabels} labels, got {b.Labels.Count}";
        }

        foreach (var (key, value) in b.Labels)
        {
            if (key.Length is 0 or > 63 || value is null || value.Length > 256)
            {
                return $"announce: label '{Clip(key)}' must have a 1-63 character key and a string value of at most 256 characters";
            }
        }

        if (b.Capacity is null || b.Capacity.Cores < 0 || b.Capacity.MemoryMb < 0 || b.Capacity.MaxModules < 0)
        {
            return "announce: capacity must have non-negative cores, memoryMb and maxModules";
        }

        if (b.Kinds.Count > 16 || b.Kinds.Any(k => k is null || k.Length is 0 or > 32))
        {
            return "announce: kinds must be at most 16 non-empty strings";
        }

        if (Text("announce", "version", b.Version, 64) is { } version)
        {
            return version;
        }

        if (!Uri.TryCreate(b.Url, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https"))
        {
            return $"announce: url must be an absolute http(s) URL, got '{Clip(b.Url)}'";
        }

        if (b.H2cUrl is not null && (!Uri.TryCreate(b.H2cUrl, UriKind.Absolute, out var h2c) || h2c.Scheme != "http"))
        {
            return $"announce: h2cUrl must be an absolute http URL, got '{Clip(b.H2cUrl)}'";
        }

        if (b.WillId is not null && Id("announce", "willId", b.WillId) is { } willId)
        {
            return willId;
        }

        if (b.KeepaliveSec is < 1 or > 3600)
        {
            return $"announce: keepaliveSec must be between 1 and 3600, got {b.KeepaliveSec}";
        }

        if (b.Modules.Count > MaxModules)
        {
            return $"announce: at most {MaxModules} modules, got {b.Modules.Count}";
        }

        foreach (var module in b.Modules)
        {
            if (module is null)
            {
                return "announce: modules must not contain null";
            }

            if ((Id("announce", "modules[].moduleId", module.ModuleId) ?? Text("announce", "modules[].plugin", module.Plugin, 64)
                 ?? Text("announce", "modules[].hash", module.Hash, 128) ?? Text("announce", "modules[].state", module.State, 32)) is { } problem)
            {
                return problem;
            }
        }

        return null;
    }

    private static string? Keepalive(KeepaliveBody b)
    {
        if (b.Load is null || b.Load.InFlight < 0 || !double.IsFinite(b.Load.CallsPerSec) || !double.IsFinite(b.Load.CpuPercent)
            || !double.IsFinite(b.Load.MemoryMb) || b.Load.CallsPerSec < 0 || b.Load.CpuPercent < 0 || b.Load.MemoryMb < 0)
        {
            return "keepalive: load must have non-negative, finite numbers";
        }

        if (b.Modules.Count > MaxModules)
        {
            return $"keepalive: at most {MaxModules} modules, got {b.Modules.Count}";
        }

        foreach (var module in b.Modules)
        {
            if (module is null)
            {
                return "keepalive: modules must not contain null";
            }

            if ((Id("keepalive", "modules[].moduleId", module.ModuleId) ?? Text("keepalive", "modules[].state", module.State, 32)) is { } problem)
            {
                return problem;
            }
        }

        return null;
    }

    private static string? Id(string type, string field, string? value) => Text(type, field, value, 128);

    private static string? Text(string type, string field, string? value, int max) =>
        value is { Length: > 0 } && value.Length <= max ? null : $"{type}: {field} must be 1-{max} characters";

    private static string Clip(string? text) => text is null ? "null" : text.Length <= 64 ? text : text[..64] + "…";
}
