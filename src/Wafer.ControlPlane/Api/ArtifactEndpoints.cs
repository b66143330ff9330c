using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;
using Wafer.ControlPlane.Artifacts;
using Wafer.ControlPlane.Hosting;
using Wafer.ControlPlane.Scheduling;

namespace Wafer.ControlPlane.Api;

/// <summary><c>/api/artifacts</c>: upload a plugin (wasm and manifest) and get its hash; runtimes download by hash.</summary>
internal static class ArtifactEndpoints
{
    public static IEndpointRouteBuilder MapArtifacts(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/api/artifacts").WithTags("artifacts").AddEndpointFilter<ControlTokenFilter>();
        group.MapPost("/", async (HttpRequest request, ArtifactService artifacts, IOrchestratorAddress address, IOptions<OrchestratorOptions> options,
                CancellationToken cancellationToken) =>
            {
                if (!IsUpload(request))
                {
                    return ApiProblems.UnsupportedMediaType(
                        $"send the plugin as multipart/form-data (files 'plugin' and 'manifest') or as an application/wasm body, not {DeploymentRequestReader.Describe(request.ContentType)}");
                }

                byte[]? wasm;
                string? manifest;
                try
                {
                    (wasm, manifest) = await ReadUploadAsync(request, cancellationToken);
                }
                catch (FormatException ex)
                {
                    return ApiProblems.BadRequest(ex.Message);
                }
                catch (Exception ex) when (UploadLimits.IsTooLarge(ex))
                {
                    return ApiProblems.TooLarge(options.Value.MaxArtifactBytes);
                }

                if (wasm is null)
                {
                    return ApiProblems.BadRequest("send the plugin as a 'plugin' (or 'wasm') file in multipart/form-data, or as an application/wasm body");
                }

                if (wasm.Length > options.Value.MaxArtifactBytes)
                {
                    return ApiProblems.TooLarge(options.Value.MaxArtifactBytes);
                }

                try
                {
                    var stored = await artifacts.StoreAsync(wasm, manifest, cancellationToken);
                    var url = FleetViews.ArtifactUrl(address.BaseUrl, stored.Hash);
                    return Results.Created($"/api/artifacts/{stored.Hash}", new ArtifactView(stored.Hash, stored.Size, url, stored.Manifest is not null));
                }
                catch (ArtifactRejectedException ex)
                {
                    return ApiProblems.BadRequest(ex.Message);
                }
                catch (ArtifactNotStoredException ex)
                {
                    return ApiProblems.NotStored(ex);
                }
            })
            .WithName("UploadArtifact")
            .WithSummary("Store a plugin's wasm (and manifest) durably; answers its SHA-256 hash")
            .DescribesBody<byte[]>("multipart/form-data", "application/wasm", "application/octet-stream")
            .Produces<ArtifactView>(StatusCodes.Status201Created).ProducesProblem(400).ProducesProblem(401).ProducesProblem(413).ProducesProblem(415).ProducesProblem(503).ProducesProblem(507);

        group.MapGet("/{hash}", async (ArtifactService artifacts, string hash, CancellationToken cancellationToken) =>
            {
                if (!ArtifactHash.IsValid(hash))
                {
                    return ApiProblems.BadRequest($"'{hash}' is not a SHA-256 hash (64 lower-case hex digits)");
                }

                Stream? artifact;
                try
                {
                    artifact = await artifacts.Store.OpenAsync(hash, cancellationToken);
                }
                catch (ArtifactStoreException ex)
                {
                    return ApiProblems.StoreFailed(ex);
                }

                return artifact is not null
                    ? Results.Stream(artifact, "application/wasm", entityTag: new EntityTagHeaderValue($"\"{hash}\""), enableRangeProcessing: true)
                    : ApiProblems.NotFound($"no artifact with hash {hash}");
            })
            .WithName("GetArtifact").WithSummary("Download a plugin's wasm by hash (runtimes verify the hash)")
            .Produces<byte[]>(200, "application/wasm").ProducesProblem(400).ProducesProblem(401).ProducesProblem(404).ProducesProblem(503);
        return endpoints;
    }

    private static async Task<(byte[]? Wasm, string? Manifest)> ReadUploadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (request.HasFormContentType)
        {
            var form = await request.ReadFormAsync(cancellationToken);
            byte[]? wasm = null;
            if ((form.Files.GetFile("plugin") ?? form.Files.GetFile("wasm")) is { } file)
            {
                using var buffer = new MemoryStream();
                await file.CopyToAsync(buffer, cancellationToken);
                wasm = buffer.ToArray();
            }

            var manifest = form["manifest"].FirstOrDefault();
            if (form.Files.GetFile("manifest") is { } manifestFile)
            {
                using var reader = new StreamReader(manifestFile.OpenReadStream());
                manifest = await reader.ReadToEndAsync(cancellationToken);
            }

            return (wasm, manifest);
        }

        using var body = new MemoryStream();
        await request.Body.CopyToAsync(body, cancellationToken);
        return (body.ToArray(), null);
    }

    private static bool IsUpload(HttpRequest request) =>
        request.HasFormContentType
        || request.ContentType is { } type && (type.StartsWith("application/wasm", StringComparison.OrdinalIgnoreCase)
                                               || type.StartsWith("application/octet-stream", StringComparison.OrdinalIgnoreCase));
}
