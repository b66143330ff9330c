using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Net.Http.Headers;
using Wafer.Hosting.Http;

namespace Wafer.Hosting.Console;

/// <summary>
/// The web console (docs/console.md) at <c>GET /</c>, its files under <c>/console/</c>. Every server maps it: the page
/// asks <c>GET /api/info</c> what kind of server it is on and shows that server's pages. The files are embedded at
/// build time and sent precompressed (brotli, else gzip) when the browser accepts it; hashed names are cached for a
/// year, the page itself is revalidated so a new build is picked up at once. The content security policy lets the page
/// load nothing from another origin.
/// </summary>
public static class ConsoleEndpoints
{
    public const string AssetsPath = "/console";

    /// <summary>Scripts, styles, workers and fonts from this server only; inline styles for the editor's widgets.</summary>
    public const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; "
        + "worker-src 'self'; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

    private static readonly string[] ReadMethods = [HttpMethods.Get, HttpMethods.Head];

    public static IEndpointRouteBuilder MapWaferConsole(this IEndpointRouteBuilder endpoints) =>
        endpoints.MapWaferConsole(ConsoleAssets.Embedded);

    internal static IEndpointRouteBuilder MapWaferConsole(this IEndpointRouteBuilder endpoints, ConsoleAssets assets)
    {
        ArgumentNullException.ThrowIfNull(assets);
        endpoints.MapMethods("/", ReadMethods, (HttpContext context) => Serve(context, assets, ConsoleAssets.IndexName))
            .ExcludeFromDescription();
        endpoints.MapMethods(AssetsPath + "/{*file}", ReadMethods, (HttpContext context, string? file) => Serve(context, assets, file ?? ""))
            .ExcludeFromDescription();
        return endpoints;
    }

    private static IResult Serve(HttpContext context, ConsoleAssets assets, string name)
    {
        if (assets.Find(name) is not { } asset)
        {
            return name == ConsoleAssets.IndexName
                ? Problems.NotFound("this build of wafer carries no web console (the console/ folder was not built)")
                : Problems.NotFound($"the console has no file named '{name}'");
        }

        var response = context.Response;
        var headers = response.Headers;
        headers.ETag = asset.ETag;
        headers.Vary = HeaderNames.AcceptEncoding;
        headers.XContentTypeOptions = "nosniff";
        headers.CacheControl = asset.Immutable ? "public, max-age=31536000, immutable" : "no-cache";
        if (name == ConsoleAssets.IndexName)
        {
            headers.ContentSecurityPolicy = ContentSecurityPolicy;
            headers.XFrameOptions = "DENY";
            headers["Referrer-Policy"] = "no-referrer";
        }

        if (context.Request.Headers.IfNoneMatch.Contains(asset.ETag))
        {
            return Results.StatusCode(StatusCodes.Status304NotModified);
        }

        var body = asset.Body;
        var accepted = context.Request.Headers.AcceptEncoding.ToString();
        if (asset.Brotli is { } brotli && Accepts(accepted, "br"))
        {
            headers.ContentEncoding = "br";
            body = brotli;
        }
        else if (asset.Gzip is { } gzip && Accepts(accepted, "gzip"))
        {
            headers.ContentEncoding = "gzip";
            body = gzip;
        }

        return Results.Bytes(body, asset.ContentType);
    }

    private static bool Accepts(string acceptEncoding, string coding)
    {
        foreach (var part in acceptEncoding.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var semicolon = part.IndexOf(';', StringComparison.Ordinal);
            var token = semicolon < 0 ? part : part[..semicolon].Trim();
            if (token.Equals(coding, StringComparison.OrdinalIgnoreCase))
            {
                return !part.Replace(" ", "", StringComparison.Ordinal).EndsWith(";q=0", StringComparison.Ordinal);
            }
        }

        return false;
    }
}
