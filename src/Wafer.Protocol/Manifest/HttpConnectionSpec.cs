namespace Wafer.Protocol.Manifest;

/// <summary>An HTTP connection: guests may fetch URLs under <see cref="BaseUrl"/>; <see cref="Headers"/> are added host-side.</summary>
public sealed record HttpConnectionSpec : ConnectionSpec
{
    public override string Type => Http;

    /// <summary>An absolute http(s) URL; placeholders only in its path.</summary>
    public required string BaseUrl { get; init; }

    public ManifestMap<string> Headers { get; init; } = ManifestMap<string>.Empty;

    public override IEnumerable<(string Key, string Template)> Templates() =>
        Headers.Select(h => ("headers." + h.Key, h.Value)).Prepend(("baseUrl", BaseUrl));
}
