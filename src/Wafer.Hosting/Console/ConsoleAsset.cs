namespace Wafer.Hosting.Console;

/// <summary>
/// One file of the web console as embedded at build time, with its compressed forms when compressing paid off.
/// Files with a content hash in their name never change, so browsers may keep them for a year.
/// </summary>
internal sealed record ConsoleAsset(string Name, string ContentType, byte[] Body, byte[]? Brotli, byte[]? Gzip, string ETag, bool Immutable);
