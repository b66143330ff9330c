using Wafer.ControlPlane.Fleet;

namespace Wafer.ControlPlane.Api;

/// <summary>
/// Builds the REST views from one snapshot, so a response never mixes two versions of the fleet. Addresses (runtime,
/// h2c and artifact URLs, and URLs quoted in reasons) are in a view only for a caller holding the token
/// (<see cref="ControlAccess"/>): without it they are null or <see cref="ControlAccess.HiddenAddress"/>.
/// </summary>
internal static class FleetViews
{
    /// <param name="modules">The modules on <paramref name="r"/> when the caller has them grouped already (a list).</param>
    /// <param name="addresses">Whether the caller may see the runtime's URLs.</param>
    public static RuntimeView Runtime(FleetSnapshot fleet, RuntimeNode r, IEnumerable<PlacedModule>? modules, bool addresses)
    {
        var children = (modules ?? fleet.ModulesOn(r.Id))
            .OrderBy(m => m.Deployment, StringComparer.Ordinal).ThenBy(m => m.Id, StringComparer.Ordinal)
            .Select(m => new ChildView(m.Id, m.Deployment, r.Id, FileName(m), StateNames.Of(m.Status)))
            .ToList();
        return new RuntimeView(
            r.Id, r.Name, "wafer", r.Kinds, r.KeepaliveSec, 65536, "{}", r.Labels, r.Alive, children,
            StateNames.Of(r.State), addresses ? r.Url : null, addresses ? r.H2cUrl : null, r.Version, r.Labels, r.Capacity, r.Load, children.Count(c => c.State != "failed"),
            r.DrainRequested, r.ShutdownSent, r.FirstSeen, r.LastSeen, r.ControlLostAt);
    }

    /// <param name="baseUrl">The orchestrator's URL for artifact links; null when the caller may not see addresses.</param>
    public static ModuleView Module(FleetSnapshot fleet, PlacedModule m, string? baseUrl)
    {
        var runtime = fleet.Runtimes.GetValueOrDefault(m.RuntimeId);
        var addresses = baseUrl is not null;
        var program = fleet.Deployments.GetValueOrDefault(m.Deployment)?.Program;
        // A program module's state is its program's once its runtime runs it (docs/silverline.md, "State").
        var state = program?.Status is { } status && m.Status == ModuleStatus.Running ? status.State : StateNames.Of(m.Status);
        var view = new ModuleView(
            m.Id, program?.Name ?? m.Deployment, m.RuntimeId, program?.File ?? FileName(m), "WA", program?.Apis ?? ["wasm", "wasi"],
            program?.Run.Argv ?? [], program?.Run.Env ?? [], program?.Run.Channels ?? [], [], null,
            m.Status == ModuleStatus.Running && runtime is { Alive: true },
            m.Deployment, m.Hash, state, addresses ? m.Reason : ControlAccess.HideAddresses(m.Reason), runtime?.Name,
            addresses ? runtime?.Url : null, ArtifactUrlOrNull(baseUrl, m.Hash), m.CreatedAt, m.UpdatedAt);
        return program is null ? view : WithProgram(view, program);
    }

    /// <summary>A program module whose placed module is gone: ended for good (its state kept), or not placed yet (<c>unplaced</c>).</summary>
    public static ModuleView Unplaced(FleetSnapshot fleet, Deployment d, string? baseUrl)
    {
        var program = d.Program!;
        if (program.Status is { IsFinal: true } status)
        {
            var runtime = fleet.Runtimes.GetValueOrDefault(status.RuntimeId);
            return WithProgram(new ModuleView(
                d.Name, program.Name, status.RuntimeId, program.File, "WA", program.Apis, program.Run.Argv, program.Run.Env, program.Run.Channels,
                [], null, false, d.Name, d.Hash, status.State, ProgramReason(status), runtime?.Name, null,
                ArtifactUrlOrNull(baseUrl, d.Hash), d.CreatedAt, status.At), program);
        }

        var reason = fleet.Unplaced.GetValueOrDefault(d.Name);
        return WithProgram(new ModuleView(
            d.Name, program.Name, program.Parent ?? "", program.File, "WA", program.Apis, program.Run.Argv, program.Run.Env, program.Run.Channels,
            [], null, false, d.Name, d.Hash, "unplaced", baseUrl is not null ? reason : ControlAccess.HideAddresses(reason), null, null,
            ArtifactUrlOrNull(baseUrl, d.Hash), d.CreatedAt, d.UpdatedAt), program);
    }

    /// <summary>Program deployments with no placed module (ended, or waiting to be placed): <c>GET /api/modules</c> lists them too.</summary>
    public static IEnumerable<Deployment> ProgramsWithoutModule(FleetSnapshot fleet)
    {
        var placed = fleet.Modules.Values.Select(m => m.Deployment).ToHashSet(StringComparer.Ordinal);
        return fleet.Deployments.Values.Where(d => d.Program is not null && !placed.Contains(d.Name));
    }

    private static ModuleView WithProgram(ModuleView view, ProgramSpec program) => view with
    {
        Restart = program.Run.Restart,
        WallClockSeconds = program.Run.WallClockSeconds,
        Run = program.Status?.Run,
        ExitCode = program.Status?.ExitCode,
        Ended = program.Status?.State is ProgramStatus.Exited or ProgramStatus.Lost or ProgramStatus.Restarting ? program.Status.Ended : null,
        NextAttemptAt = program.Status?.NextAttemptAt,
    };

    /// <summary>How an ended program's last run ended, in the words of a placed module's reason.</summary>
    private static string? ProgramReason(ProgramStatus status) =>
        status.Ended == "exited" ? $"run {status.Run} exited with code {status.ExitCode}"
        : status.State == ProgramStatus.Lost || status.Ended == "drained" ? status.Reason
        : $"run {status.Run} ended {status.Ended}: {status.Reason}";

    /// <param name="baseUrl">The orchestrator's URL for artifact links; null when the caller may not see addresses.</param>
    /// <param name="placed">The modules of <paramref name="d"/> when the caller has them grouped already (a list).</param>
    public static DeploymentView Deployment(FleetSnapshot fleet, Deployment d, string? baseUrl, IEnumerable<PlacedModule>? placed = null)
    {
        var modules = (placed ?? fleet.ModulesOf(d.Name)).OrderBy(m => m.CreatedAt).ThenBy(m => m.Id, StringComparer.Ordinal).ToList();
        return new DeploymentView(
            d.Name, d.Name, d.Hash, d.Kind, d.Replicas, d.Labels, d.Config, ArtifactUrlOrNull(baseUrl, d.Hash), d.CreatedAt, d.UpdatedAt,
            Status(fleet, d, modules, addresses: baseUrl is not null), modules.Select(m => Module(fleet, m, baseUrl)).ToList());
    }

    public static string ArtifactUrl(string baseUrl, string hash) => $"{baseUrl.TrimEnd('/')}/api/artifacts/{hash}";

    private static string? ArtifactUrlOrNull(string? baseUrl, string hash) => baseUrl is null ? null : ArtifactUrl(baseUrl, hash);

    private static DeploymentStatusView Status(FleetSnapshot fleet, Deployment d, List<PlacedModule> modules, bool addresses)
    {
        var current = modules.Where(m => m.Hash == d.Hash && fleet.Runtimes.TryGetValue(m.RuntimeId, out var r) && r.Alive).ToList();
        var running = current.Count(m => m.Status == ModuleStatus.Running && fleet.Runtimes[m.RuntimeId].Accepting);
        var pending = current.Count(m => m.Status == ModuleStatus.Pending);
        var failed = current.Count(m => m.Status == ModuleStatus.Failed);
        var state = running >= d.Replicas ? "running" : pending > 0 ? "progressing" : running > 0 ? "degraded" : "unavailable";
        var reason = running >= d.Replicas
            ? null
            : fleet.Unplaced.GetValueOrDefault(d.Name)
              ?? current.Where(m => m.Status == ModuleStatus.Failed).MaxBy(m => m.UpdatedAt)?.Reason
              ?? (pending > 0 ? $"{pending} replica(s) loading" : null);
        return new DeploymentStatusView(state, d.Replicas, running, pending, failed, addresses ? reason : ControlAccess.HideAddresses(reason));
    }

    private static string FileName(PlacedModule m) => m.Deployment + ".wasm";
}
