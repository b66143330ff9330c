using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Wafer.ControlPlane.Api;

/// <summary>Reads a deploy request from JSON or multipart form data; throws <see cref="FormatException"/> saying what is wrong.</summary>
internal static class DeploymentRequestReader
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { RespectNullableAnnotations = true };

    /// <summary>Whether the body is JSON or multipart form data; else the answer is 415 with <see cref="UnsupportedDetail"/>.</summary>
    public static bool CanRead(HttpRequest request) => request.HasFormContentType || request.HasJsonContentType();

    public static string UnsupportedDetail(HttpRequest request) =>
        $"send the deployment as application/json or multipart/form-data, not {Describe(request.ContentType)}";

    internal static string Describe(string? contentType) => string.IsNullOrEmpty(contentType) ? "a body without Content-Type" : $"'{contentType}'";

    public static async Task<DeploymentInput> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (request.HasFormContentType)
        {
            return await ReadFormAsync(request, cancellationToken);
        }

        if (request.HasJsonContentType())
        {
            return await ReadJsonAsync(request, cancellationToken);
        }

        throw new FormatException(UnsupportedDetail(request));
    }

    private static async Task<DeploymentInput> ReadJsonAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        DeploymentRequest? body;
        try
        {
            body = await JsonSerializer.DeserializeAsync<DeploymentRequest>(request.Body, Json, cancellationToken);
        }
        catch (JsonException ex)
        {
            throw new FormatException($"the body is not a valid deployment: {ex.Message}");
        }

        if (body is null)
        {
            throw new FormatException("the body must be a JSON object");
        }

        byte[]? wasm = null;
        if (body.Plugin is not null)
        {
            try
            {
                wasm = Convert.FromBase64String(body.Plugin);
            }
            catch (FormatException)
            {
                throw new FormatException("plugin must be the wasm file encoded in base64");
            }
        }

        string? manifest = null;
        if (body.Manifest is { } element && element.ValueKind != JsonValueKind.Null)
        {
            manifest = element.ValueKind switch
            {
                JsonValueKind.Object => element.GetRawText(),
                JsonValueKind.String => element.GetString(),
                _ => throw new FormatException("manifest must be the wafer.json object (or that JSON as a string)"),
            };
        }

        return new DeploymentInput(body.Name, wasm, null, manifest, body.Hash, body.Replicas ?? 1, body.Labels ?? [], body.Config ?? [],
            body.AllowShadowing ?? false);
    }

    private static async Task<DeploymentInput> ReadFormAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var form = await request.ReadFormAsync(cancellationToken);
        var file = form.Files.GetFile("plugin") ?? form.Files.GetFile("wasm");
        byte[]? wasm = null;
        if (file is not null)
        {
            using var buffer = new MemoryStream((int)Math.Min(file.Length, int.MaxValue));
            await file.CopyToAsync(buffer, cancellationToken);
            wasm = buffer.ToArray();
        }

        string? manifest = form["manifest"].FirstOrDefault();
        if (form.Files.GetFile("manifest") is { } manifestFile)
        {
            using var reader = new StreamReader(manifestFile.OpenReadStream());
            manifest = await reader.ReadToEndAsync(cancellationToken);
        }

        var replicas = 1;
        if (form["replicas"].FirstOrDefault() is { Length: > 0 } text && !int.TryParse(text, out replicas))
        {
            throw new FormatException($"replicas must be a whole number, got '{text}'");
        }

        var allowShadowing = false;
        if (form["allowShadowing"].FirstOrDefault() is { Length: > 0 } flag && !bool.TryParse(flag, out allowShadowing))
        {
            throw new FormatException($"allowShadowing must be true or false, got '{flag}'");
        }

        return new DeploymentInput(
            form["name"].FirstOrDefault() is { Length: > 0 } name ? name : null,
            wasm,
            file?.FileName,
            manifest,
            form["hash"].FirstOrDefault() is { Length: > 0 } hash ? hash : null,
            replicas,
            LabelSyntax.Parse(form["labels"].FirstOrDefault(), "labels"),
            LabelSyntax.Parse(form["config"].FirstOrDefault(), "config"),
            allowShadowing);
    }
}
