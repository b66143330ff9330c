namespace Wafer.Protocol.Routes;

/// <summary>A manifest route: an exact path, or a <c>/...</c> prefix; <see cref="Methods"/> empty means any.</summary>
public sealed record HandlerRouteSpec(string Path, IReadOnlyList<string> Methods);
