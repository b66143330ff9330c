namespace Wafer.Protocol.Manifest;

/// <summary>
/// An HTTP connection: guests may fetch URLs under <see cref="BaseUrl"/>; <see cref="Headers"/> and
/// <see cref="QueryParameters"/> are added host-side, so a key the upstream wants in the URL stays out of the guest.
/// </summary>
public sealed record HttpConnectionSpec : ConnectionSpec
{
    public override string Type => Http;

    /// <summary>An absolute http(s) URL; placeholders only in its path.</summary>
    public required string BaseUrl { get; init; }

    public ManifestMap<string> Headers { get; init; } = ManifestMap<string>.Empty;

    /// <summary>Appended to every request's query (after the guest's own parameters), secrets filled in.</summary>
    public ManifestMap<string> QueryParameters { get; init; } = ManifestMap<string>.Empty;

    public override IEnumerable<(string Key, string Template)> Templates() =>
        Headers.Select(h => ("headers." + h.Key, h.Value))
            .Concat(QueryParameters.Select(q => ("queryParameters." + q.Key, q.Value)))
            .Prepend(("baseUrl", BaseUrl));
}
