using System.Collections.Immutable;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using Wafer.ControlPlane.Artifacts;
using Wafer.ControlPlane.Fleet;
using Wafer.ControlPlane.Gateway;
using Wafer.ControlPlane.Hosting;
using Wafer.ControlPlane.Scheduling;
using Wafer.ControlPlane.Store;
using Wafer.Protocol.Manifest;

namespace Wafer.ControlPlane.Api;

/// <summary><c>POST /api/deployments</c>: checks the request, stores the plugin, and hands the deployment to the reconciler.</summary>
internal static class DeployHandler
{
    public static async Task<IResult> HandleAsync(
        HttpRequest request, ArtifactService artifacts, IFleetEvents events, FleetView view, IOrchestratorAddress address,
        IOptions<OrchestratorOptions> options, FleetRouteBuilder functions, TimeProvider time, CancellationToken cancellationToken)
    {
        if (!DeploymentRequestReader.CanRead(request))
        {
            return ApiProblems.UnsupportedMediaType(DeploymentRequestReader.UnsupportedDetail(request));
        }

        DeploymentInput input;
        try
        {
            input = await DeploymentRequestReader.ReadAsync(request, cancellationToken);
        }
        catch (FormatException ex)
        {
            return ApiProblems.BadRequest(ex.Message);
        }
        catch (Exception ex) when (UploadLimits.IsTooLarge(ex))
        {
            return ApiProblems.TooLarge(options.Value.MaxArtifactBytes);
        }

        if (input.Wasm is { } bytes && bytes.Length > options.Value.MaxArtifactBytes)
        {
            return ApiProblems.TooLarge(options.Value.MaxArtifactBytes);
        }

        if (Check(input) is { } problem)
        {
            return ApiProblems.BadRequest(problem);
        }

        ArtifactRecord artifact;
        if (input.Wasm is not null)
        {
            try
            {
                artifact = await artifacts.StoreAsync(input.Wasm, input.Manifest, cancellationToken);
            }
            catch (ArtifactRejectedException ex)
            {
                return ApiProblems.BadRequest(ex.Message);
            }
            catch (ArtifactNotStoredException ex)
            {
                return ApiProblems.NotStored(ex);
            }

            if (input.Hash is not null && input.Hash != artifact.Hash)
            {
                return ApiProblems.BadRequest($"hash {input.Hash} does not match the plugin sent (its SHA-256 is {artifact.Hash})");
            }
        }
        else
        {
            ArtifactRecord? found;
            try
            {
                found = await artifacts.FindAsync(input.Hash!, cancellationToken);
            }
            catch (ArtifactStoreException ex)
            {
                return ApiProblems.StoreFailed(ex);
            }

            if (found is null)
            {
                return ApiProblems.BadRequest($"no artifact with hash {input.Hash}: upload it with POST /api/artifacts first, or send the plugin itself");
            }

            artifact = found;
        }

        var manifestSource = input.Manifest ?? artifact.Manifest;
        var name = input.Name ?? ManifestNormalizer.NameIn(manifestSource) ?? Stem(input.WasmFileName);
        if (name is null)
        {
            return ApiProblems.BadRequest("the deployment needs a name: give 'name', or a manifest with one");
        }

        if (!ManifestReader.IsValidName(name))
        {
            return ApiProblems.BadRequest($"name '{name}' must be 1-64 characters of a-z, 0-9, '-' and '_', starting with a letter or digit");
        }

        string manifest;
        try
        {
            manifest = ManifestNormalizer.Normalize(manifestSource, name);
        }
        catch (ManifestException ex)
        {
            return ApiProblems.BadRequest("manifest: " + ex.Message);
        }

        var shadowed = Shadowed(view.Current, functions, name, artifact.Hash);
        if (shadowed.Count > 0 && !input.AllowShadowing)
        {
            return ApiProblems.Conflict(
                $"{Describe(shadowed)}; deploy with allowShadowing (wafer deploy --allow-shadowing) to serve them from both, "
                + "after which /functions/NAME answers 409 for those names and callers use /functions/DEPLOYMENT/NAME",
                [new("shadowed", shadowed.ToDictionary(s => s.Deployment, s => s.Functions))]);
        }

        var now = time.GetUtcNow();
        var deployment = new Deployment(
            name, artifact.Hash, manifest, ManifestNormalizer.KindOf(manifest), input.Replicas,
            input.Labels.ToImmutableSortedDictionary(StringComparer.Ordinal), input.Config.ToImmutableSortedDictionary(StringComparer.Ordinal), now, now);
        var done = new TaskCompletionSource<(Deployment Deployment, bool Created)>(TaskCreationOptions.RunContinuationsAsynchronously);
        await events.PostAsync(new ApplyDeployment(deployment, done), cancellationToken);
        var (stored, created) = await done.Task.WaitAsync(TimeSpan.FromSeconds(30), cancellationToken);
        var current = view.Current;
        var fleet = current with { Deployments = current.Deployments.SetItem(stored.Name, stored) };
        var body = FleetViews.Deployment(fleet, stored, address.BaseUrl, FleetIndex.Of(current).ModulesOf(stored.Name)) with
        {
            Warnings = shadowed.Count > 0 ? [Describe(shadowed) + "; /functions/NAME answers 409 for those names: call /functions/DEPLOYMENT/NAME"] : null,
        };
        return created ? Results.Created($"/api/deployments/{stored.Name}", body) : Results.Ok(body);
    }

    /// <summary>Other deployments serving some of the function names the plugin <paramref name="hash"/> exports.</summary>
    private static List<(string Deployment, string[] Functions)> Shadowed(FleetSnapshot fleet, FleetRouteBuilder functions, string name, string hash)
    {
        var exported = functions.FunctionNames(hash);
        if (exported.Count == 0)
        {
            return [];
        }

        // Deployments mostly share a few plugins: each distinct hash is intersected once, not once per deployment.
        var wanted = exported.ToHashSet(StringComparer.Ordinal);
        var common = new Dictionary<string, string[]>(StringComparer.Ordinal);
        return [.. fleet.Deployments.Values
            .Where(d => d.Name != name)
            .Select(d => (d.Name, Common(d.Hash)))
            .Where(s => s.Item2.Length > 0)
            .OrderBy(s => s.Name, StringComparer.Ordinal)];

        string[] Common(string other) => common.TryGetValue(other, out var names) ? names
            : common[other] = [.. functions.FunctionNames(other).Where(wanted.Contains).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];
    }

    private static string Describe(List<(string Deployment, string[] Functions)> shadowed) =>
        string.Join("; ", shadowed.Select(s => $"deployment '{s.Deployment}' already serves {string.Join(", ", s.Functions)}"));

    private static string? Check(DeploymentInput input)
    {
        if (input.Wasm is null && input.Hash is null)
        {
            return "send the plugin (the wasm: 'plugin' in base64, or a 'plugin' file) or the 'hash' of an uploaded artifact";
        }

        if (input.Hash is not null && !ArtifactHash.IsValid(input.Hash))
        {
            return $"hash '{input.Hash}' is not a SHA-256 hash (64 lower-case hex digits)";
        }

        if (input.Replicas is < 0 or > Deployment.MaxReplicas)
        {
            return $"replicas must be between 0 and {Deployment.MaxReplicas}, got {input.Replicas}";
        }

        return LabelSyntax.Problem(input.Labels, "labels") ?? LabelSyntax.Problem(input.Config, "config");
    }

    private static string? Stem(string? fileName) =>
        fileName is null ? null : Path.GetFileNameWithoutExtension(Path.GetFileName(fileName)) is { Length: > 0 } stem ? stem : null;
}
