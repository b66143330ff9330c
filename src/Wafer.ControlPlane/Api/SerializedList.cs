using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;
using Wafer.ControlPlane.Fleet;

namespace Wafer.ControlPlane.Api;

/// <summary>
/// One unfiltered list (<c>GET /api/runtimes</c>, <c>/api/modules</c>, <c>/api/deployments</c>) serialized once and
/// written again as bytes while the fleet's inputs to it stay the same: snapshots are immutable, so equal inputs give
/// equal JSON. Kept apart for callers with and without the token (who see addresses or not). Each serialization gets
/// its own entity tag (a process-wide prefix, so a restarted orchestrator never repeats one), and a request naming
/// it in <c>If-None-Match</c> is answered 304.
/// </summary>
internal sealed class SerializedList(Func<FleetSnapshot, FleetSnapshot, bool> sameInputs)
{
    private static readonly string Epoch = Guid.NewGuid().ToString("N")[..12];
    private static long _serial;

    private Entry? _withAddresses;
    private Entry? _withoutAddresses;

    /// <summary>The list for <paramref name="fleet"/>: the kept bytes when its inputs are unchanged, else <paramref name="serialize"/>'s.</summary>
    public Entry Get(FleetSnapshot fleet, bool addresses, Func<byte[]> serialize)
    {
        ArgumentNullException.ThrowIfNull(fleet);
        ArgumentNullException.ThrowIfNull(serialize);
        var kept = Volatile.Read(ref addresses ? ref _withAddresses : ref _withoutAddresses);
        if (kept is not null && (ReferenceEquals(kept.Fleet, fleet) || sameInputs(kept.Fleet, fleet)))
        {
            return kept;
        }

        var entry = new Entry(fleet, serialize(), $"\"{Epoch}-{Interlocked.Increment(ref _serial).ToString(CultureInfo.InvariantCulture)}\"");
        Volatile.Write(ref addresses ? ref _withAddresses : ref _withoutAddresses, entry);
        return entry;
    }

    /// <summary>The answer for <paramref name="entry"/>: 304 when the request already has it, else its bytes as JSON.</summary>
    public static IResult Write(HttpContext context, Entry entry)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(entry);
        context.Response.Headers.ETag = entry.ETag;
        return Matches(context.Request.Headers.IfNoneMatch, entry.ETag)
            ? Results.StatusCode(StatusCodes.Status304NotModified)
            : Results.Bytes(entry.Json, "application/json; charset=utf-8");
    }

    private static bool Matches(Microsoft.Extensions.Primitives.StringValues ifNoneMatch, string etag)
    {
        if (ifNoneMatch.Count == 0 || !EntityTagHeaderValue.TryParseList(ifNoneMatch, out var tags))
        {
            return false;
        }

        var current = new EntityTagHeaderValue(etag);
        return tags.Any(t => t.Equals(EntityTagHeaderValue.Any) || t.Compare(current, useStrongComparison: false));
    }

    /// <param name="Fleet">The snapshot it was serialized from.</param>
    internal sealed record Entry(FleetSnapshot Fleet, byte[] Json, string ETag);
}
