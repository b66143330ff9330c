using System.Collections.Frozen;
using System.Reflection;
using System.Security.Cryptography;
using System.Text.RegularExpressions;

namespace Wafer.Hosting.Console;

/// <summary>
/// The web console's files, read once from the resources embedded in this assembly (<c>console/NAME</c>, with
/// <c>NAME.br</c> and <c>NAME.gz</c> beside the files worth compressing; <c>Console.targets</c> builds them from the
/// repository's <c>console/</c> folder). Nothing is read from disk or fetched at run time: the console works offline.
/// </summary>
internal sealed partial class ConsoleAssets
{
    public const string IndexName = "index.html";
    private const string Prefix = "console/";

    private readonly FrozenDictionary<string, ConsoleAsset> _files;

    private ConsoleAssets(FrozenDictionary<string, ConsoleAsset> files) => _files = files;

    /// <summary>The console as embedded in this assembly; empty when the build embedded none.</summary>
    public static ConsoleAssets Embedded { get; } = Load(typeof(ConsoleAssets).Assembly);

    public int Count => _files.Count;

    public IEnumerable<string> Names => _files.Keys;

    public ConsoleAsset? Find(string name) => _files.GetValueOrDefault(name);

    private static ConsoleAssets Load(Assembly assembly)
    {
        var resources = assembly.GetManifestResourceNames().Where(n => n.StartsWith(Prefix, StringComparison.Ordinal)).ToHashSet();
        var files = new Dictionary<string, ConsoleAsset>(StringComparer.Ordinal);
        foreach (var resource in resources)
        {
            if (resource.EndsWith(".br", StringComparison.Ordinal) || resource.EndsWith(".gz", StringComparison.Ordinal))
            {
                continue;
            }

            var name = resource[Prefix.Length..];
            var body = Read(assembly, resource)!;
            files[name] = new ConsoleAsset(
                name,
                ContentTypeOf(name),
                body,
                resources.Contains(resource + ".br") ? Read(assembly, resource + ".br") : null,
                resources.Contains(resource + ".gz") ? Read(assembly, resource + ".gz") : null,
                "\"" + Convert.ToHexStringLower(SHA256.HashData(body))[..16] + "\"",
                HashedName().IsMatch(name));
        }

        return new ConsoleAssets(files.ToFrozenDictionary(StringComparer.Ordinal));
    }

    private static byte[]? Read(Assembly assembly, string resource)
    {
        using var stream = assembly.GetManifestResourceStream(resource);
        if (stream is null)
        {
            return null;
        }

        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    private static string ContentTypeOf(string name) => Path.GetExtension(name).ToLowerInvariant() switch
    {
        ".html" => "text/html; charset=utf-8",
        ".js" => "text/javascript; charset=utf-8",
        ".css" => "text/css; charset=utf-8",
        ".json" => "application/json",
        ".svg" => "image/svg+xml",
        ".png" => "image/png",
        ".ttf" => "font/ttf",
        ".woff2" => "font/woff2",
        _ => "application/octet-stream",
    };

    /// <summary>esbuild's names: <c>main-ABCD1234.js</c>, eight characters of the content's hash before the extension.</summary>
    [GeneratedRegex(@"-[A-Z0-9]{8}\.[a-z0-9]+$")]
    private static partial Regex HashedName();
}
