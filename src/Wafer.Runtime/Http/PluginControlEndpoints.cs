using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Wafer.Hosting.Http;
using Wafer.Runtime.GraphQL;
using Wafer.Runtime.Hosting;
using Wafer.Runtime.Uploads;

namespace Wafer.Runtime.Http;

/// <summary>
/// Control endpoints for deploying straight to a runtime: <c>POST /api/plugins</c> uploads and serves a plugin,
/// <c>DELETE /api/plugins/{name}</c> stops one. Both need the API token when one is configured.
/// </summary>
internal static class PluginControlEndpoints
{
    public static IEndpointRouteBuilder MapWaferPluginControl(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost("/api/plugins", async (HttpRequest request, UploadedPlugins uploads, IOptions<RuntimeOptions> options, CancellationToken cancellationToken) =>
            {
                if (!request.HasFormContentType && !IsWasm(request))
                {
                    return Problems.UnsupportedMediaType(
                        $"send the plugin as multipart/form-data (plugin, manifest, name, config) or as application/wasm with ?name=, not {(string.IsNullOrEmpty(request.ContentType) ? "a body without Content-Type" : $"'{request.ContentType}'")}");
                }

                Upload upload;
                try
                {
                    upload = await ReadAsync(request, options.Value.MaxRequestBytes, cancellationToken);
                }
                catch (FormatException ex)
                {
                    return Problems.BadRequest(ex.Message);
                }
                catch (UploadTooLargeException)
                {
                    return Problems.TooLarge(options.Value.MaxRequestBytes);
                }

                try
                {
                    var (plugin, created) = uploads.Add(upload.Name, upload.Wasm, upload.Manifest, upload.Config);
                    var body = IntrospectionEndpoints.Describe(plugin, request.HttpContext.RequestServices.GetService<GraphQLSchemaProvider>()?.Current);
                    return created ? Results.Created($"/api/plugins/{plugin.Name}", body) : Results.Ok(body);
                }
                catch (UploadRefusedException ex)
                {
                    return ex.Conflict ? Problems.Conflict(ex.Message) : Problems.BadRequest(ex.Message);
                }
                catch (UploadNotStoredException ex)
                {
                    return ex.DiskFull ? Problems.InsufficientStorage(ex.Message) : Problems.StorageFailed(ex.Message);
                }
            })
            .AddEndpointFilter<ApiTokenFilter>()
            .DisableAntiforgery();

        endpoints.MapDelete("/api/plugins/{name}", (string name, UploadedPlugins uploads) =>
            {
                try
                {
                    return uploads.Remove(name)
                        ? Results.Ok(new { name, stopped = true })
                        : Problems.PluginNotFound($"no plugin named '{name}' is loaded");
                }
                catch (UploadRefusedException ex)
                {
                    return Problems.Conflict(ex.Message);
                }
            })
            .AddEndpointFilter<ApiTokenFilter>();
        return endpoints;
    }

    private sealed class UploadTooLargeException : Exception;

    private sealed record Upload(string Name, byte[] Wasm, byte[]? Manifest, Dictionary<string, string>? Config);

    /// <summary>Multipart (<c>plugin</c> or <c>wasm</c> file, optional <c>manifest</c> file, <c>name</c>, <c>config</c> JSON object) or an <c>application/wasm</c> body with <c>?name=</c>.</summary>
    private static async Task<Upload> ReadAsync(HttpRequest request, int limit, CancellationToken cancellationToken)
    {
        if (request.HasFormContentType)
        {
            var form = await request.ReadFormAsync(cancellationToken);
            var file = form.Files.GetFile("plugin") ?? form.Files.GetFile("wasm")
                       ?? throw new FormatException("the form needs the wasm as a file field named 'plugin' (or 'wasm')");
            var wasm = await ReadFileAsync(file, cancellationToken);
            var manifest = form.Files.GetFile("manifest") is { } m ? await ReadFileAsync(m, cancellationToken) : null;
            if (manifest is null && form.TryGetValue("manifest", out var inline) && inline.ToString() is { Length: > 0 } text)
            {
                manifest = System.Text.Encoding.UTF8.GetBytes(text);
            }

            var name = form["name"].ToString() is { Length: > 0 } given ? given : NameOf(manifest) ?? Path.GetFileNameWithoutExtension(file.FileName);
            return new Upload(name, wasm, manifest, ParseConfig(form["config"].ToString()));
        }

        if (IsWasm(request))
        {
            var name = request.Query["name"].ToString();
            if (name.Length == 0)
            {
                throw new FormatException("an application/wasm body needs ?name=PLUGIN");
            }

            var wasm = await RequestBody.ReadAsync(request.BodyReader, request.ContentLength, limit, cancellationToken)
                       ?? throw new UploadTooLargeException();
            return new Upload(name, wasm, null, null);
        }

        throw new FormatException("send the plugin as multipart/form-data (plugin, manifest, name, config) or as application/wasm with ?name=");
    }

    private static bool IsWasm(HttpRequest request) => request.ContentType?.StartsWith("application/wasm", StringComparison.OrdinalIgnoreCase) == true;

    private static async Task<byte[]> ReadFileAsync(IFormFile file, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        await file.CopyToAsync(buffer, cancellationToken);
        return buffer.ToArray();
    }

    private static string? NameOf(byte[]? manifest)
    {
        if (manifest is null)
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(manifest, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
            return document.RootElement.ValueKind == JsonValueKind.Object
                   && document.RootElement.TryGetProperty("name", out var name) && name.ValueKind == JsonValueKind.String
                ? name.GetString()
                : null;
        }
        catch (JsonException ex)
        {
            throw new FormatException($"the manifest is not valid JSON: {ex.Message}");
        }
    }

    private static Dictionary<string, string>? ParseConfig(string text)
    {
        if (text.Length == 0)
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize<Dictionary<string, string>>(text)
                   ?? throw new FormatException("config must be a JSON object of strings");
        }
        catch (JsonException)
        {
            throw new FormatException("config must be a JSON object of strings, e.g. {\"greeting\":\"hi\"}");
        }
    }
}
