using System.Collections.Immutable;
using Wafer.ControlPlane.Artifacts;
using Wafer.ControlPlane.Fleet;
using Wafer.ControlPlane.Scheduling;
using Wafer.ControlPlane.Store;
using Wafer.Protocol.Manifest;

namespace Wafer.ControlPlane.SilverLine;

/// <summary>
/// Creates and deletes SilverLine modules, whoever asks (REST or <c>{realm}/proc/control</c>), by one set of rules: a
/// module is a deployment of one replica named by the module's uuid, carrying its <see cref="ProgramSpec"/>, so the
/// scheduler places it (on its parent when one is named), re-places it when its runtime is lost, and moves it off a
/// draining runtime as it does any replica.
/// </summary>
internal sealed class ProgramModules(ArtifactService artifacts, IFleetEvents events, FleetView view, TimeProvider time)
{
    private static readonly TimeSpan Answer = TimeSpan.FromSeconds(30);

    private const string CommandManifest = """{"type":"command"}""";

    /// <summary>Creates the module; the refusal says why not (nothing changed then).</summary>
    public async Task<(Deployment? Created, ModuleRefusal? Refusal)> CreateAsync(ModuleRequest request, CancellationToken cancellationToken)
    {
        var fleet = view.Current;
        var uuid = request.Uuid ?? Guid.NewGuid().ToString("D");
        if (fleet.Deployments.ContainsKey(uuid) || fleet.Modules.ContainsKey(uuid))
        {
            return (null, new ModuleRefusal(ModuleRefusalKind.Conflict, "duplicate module UUID; request ignored", $"a module with uuid {uuid} exists"));
        }

        string? parent = null;
        if (request.Parent is { } wanted)
        {
            // SilverLine names a parent by uuid or name: an online runtime with that id, else the first online one of that name.
            var runtime = fleet.Runtimes.Values.FirstOrDefault(r => r.Id == wanted && r.Alive)
                          ?? fleet.Runtimes.Values.Where(r => r.Alive && r.Name == wanted).OrderBy(r => r.Id, StringComparer.Ordinal).FirstOrDefault();
            if (runtime is null)
            {
                return (null, ModuleRefusal.Invalid("invalid Runtime Name/UUID", $"no online runtime with uuid or name '{wanted}' (GET /api/runtimes lists them)"));
            }

            parent = runtime.Id;
        }

        var (artifact, manifestSource) = await ResolveFileAsync(fleet, request.File, cancellationToken);
        if (artifact is null)
        {
            return (null, ModuleRefusal.Invalid("file not found",
                $"no uploaded artifact with hash or name '{request.File}': upload it with POST /api/artifacts (a manifest naming it) or deploy it first"));
        }

        string manifest;
        try
        {
            manifest = ManifestNormalizer.Normalize(manifestSource ?? CommandManifest, uuid);
        }
        catch (ManifestException ex)
        {
            return (null, ModuleRefusal.Invalid("invalid field", $"the manifest of '{request.File}': {ex.Message}"));
        }

        if (ManifestReader.Parse(System.Text.Encoding.UTF8.GetBytes(manifest)).Type != PluginType.Command)
        {
            return (null, ModuleRefusal.Invalid("invalid field",
                $"'{request.File}' is a functions plugin; a module runs a command program (a WASI program with main, manifest \"type\": \"command\")"));
        }

        var now = time.GetUtcNow();
        var name = request.Name ?? Stem(request.File);
        var deployment = new Deployment(uuid, artifact.Hash, manifest, ManifestNormalizer.KindOf(manifest), 1,
            ImmutableSortedDictionary<string, string>.Empty, ImmutableSortedDictionary<string, string>.Empty, now, now)
        {
            Program = new ProgramSpec(name, request.File, parent, request.Apis, request.Program),
        };
        var done = new TaskCompletionSource<(Deployment Deployment, bool Created)>(TaskCreationOptions.RunContinuationsAsynchronously);
        await events.PostAsync(new ApplyDeployment(deployment, done), cancellationToken);
        try
        {
            var (stored, created) = await done.Task.WaitAsync(Answer, cancellationToken);
            return created
                ? (stored, null)
                : (null, new ModuleRefusal(ModuleRefusalKind.Conflict, "duplicate module UUID; request ignored", $"a module with uuid {uuid} exists"));
        }
        catch (TimeoutException)
        {
            return (null, new ModuleRefusal(ModuleRefusalKind.Unavailable, "Uncaught exception", "the orchestrator did not take the module in time"));
        }
    }

    /// <summary>Deletes the module <paramref name="uuid"/>: it stops on its runtime. A replica of a deployment is refused.</summary>
    public async Task<ModuleRefusal?> DeleteAsync(string uuid, CancellationToken cancellationToken)
    {
        var fleet = view.Current;
        if (!fleet.Deployments.TryGetValue(uuid, out var deployment) || deployment.Program is null)
        {
            return fleet.Modules.TryGetValue(uuid, out var replica) && fleet.Deployments.ContainsKey(replica.Deployment)
                ? new ModuleRefusal(ModuleRefusalKind.Conflict, "invalid Module Name/UUID",
                    $"module {uuid} is a replica of deployment '{replica.Deployment}': stop the deployment (DELETE /api/deployments/{replica.Deployment})")
                : new ModuleRefusal(ModuleRefusalKind.NotFound, "invalid Module Name/UUID", $"no module with uuid '{uuid}'");
        }

        var done = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        await events.PostAsync(new RemoveDeployment(uuid, done), cancellationToken);
        try
        {
            return await done.Task.WaitAsync(Answer, cancellationToken)
                ? null
                : new ModuleRefusal(ModuleRefusalKind.NotFound, "invalid Module Name/UUID", $"no module with uuid '{uuid}'");
        }
        catch (TimeoutException)
        {
            return new ModuleRefusal(ModuleRefusalKind.Unavailable, "Uncaught exception", "the orchestrator did not delete the module in time");
        }
    }

    /// <summary>A hash names an artifact; a name (path and <c>.wasm</c> ignored) a deployment's plugin, else an uploaded manifest's.</summary>
    private async Task<(ArtifactRecord? Artifact, string? Manifest)> ResolveFileAsync(FleetSnapshot fleet, string file, CancellationToken cancellationToken)
    {
        if (ArtifactHash.IsValid(file))
        {
            return await artifacts.FindAsync(file, cancellationToken) is { } byHash ? (byHash, byHash.Manifest) : (null, null);
        }

        var stem = Stem(file);
        if (fleet.Deployments.TryGetValue(stem, out var deployed) && deployed.Program is null
            && await artifacts.FindAsync(deployed.Hash, cancellationToken) is { } ofDeployment)
        {
            return (ofDeployment, deployed.Manifest);
        }

        return await artifacts.FindByNameAsync(stem, cancellationToken) is { } byName ? (byName, byName.Manifest) : (null, null);
    }

    private static string Stem(string file) =>
        Path.GetFileNameWithoutExtension(file.Replace('\\', '/').Split('/')[^1]) is { Length: > 0 } stem ? stem : file;
}
