namespace Wafer.Protocol.Problems;

/// <summary>
/// One kind of failure every Wafer server answers with the same RFC 7807 <c>type</c> and <c>title</c>
/// (<see cref="ProblemTypes"/>); the <c>detail</c> says what went wrong this time.
/// </summary>
/// <param name="Name">The snake_case name, also sent as the problem's <c>cause</c> extension.</param>
/// <param name="Title">The one title of this type, the same in every answer.</param>
/// <param name="Status">The HTTP status the type usually comes with (a guest failure answers 500 from a function, 502 from a handler).</param>
public sealed record ProblemType(string Name, string Title, int Status)
{
    /// <summary>The problem's <c>type</c> URI: <c>urn:wafer:problem:NAME</c>.</summary>
    public string Uri { get; } = ProblemTypes.Prefix + Name;
}
