using Microsoft.Extensions.Primitives;
using Microsoft.Net.Http.Headers;

namespace Wafer.GraphQL.Http;

/// <summary>
/// Content negotiation for <c>/graphql</c> (GraphQL over HTTP, "Accept"): the client's <c>Accept</c> ranges with their
/// q-values against the types the server can answer with, in the server's order of preference.
/// </summary>
internal static class GraphQLMediaTypes
{
    public const string GraphQLResponse = "application/graphql-response+json";
    public const string Json = "application/json";
    public const string Html = "text/html";
    public const string EventStream = "text/event-stream";

    /// <summary>
    /// The offered type the client accepts with the highest quality (ties go to the earlier offer), the first offer
    /// when the client sends no <c>Accept</c>, or null when it accepts none of them (answer 406). Each offer gets the
    /// quality of the most specific range matching it (<c>type/subtype</c> over <c>type/*</c> over <c>*/*</c>); a
    /// range naming a charset other than UTF-8 does not match.
    /// </summary>
    public static string? Negotiate(StringValues accept, IReadOnlyList<string> offers)
    {
        if (StringValues.IsNullOrEmpty(accept) || accept.All(string.IsNullOrWhiteSpace))
        {
            return offers[0];
        }

        if (!MediaTypeHeaderValue.TryParseList(accept, out var ranges) || ranges.Count == 0)
        {
            return offers[0]; // an Accept header that is not one says nothing
        }

        string? best = null;
        var bestQuality = 0.0;
        foreach (var offer in offers)
        {
            var quality = QualityOf(offer, ranges);
            if (quality > bestQuality)
            {
                best = offer;
                bestQuality = quality;
            }
        }

        return best;
    }

    private static double QualityOf(string offer, IList<MediaTypeHeaderValue> ranges)
    {
        var slash = offer.IndexOf('/', StringComparison.Ordinal);
        var offeredType = offer[..slash];
        var specificity = -1;
        var quality = 0.0;
        foreach (var range in ranges)
        {
            if (range.Charset is { HasValue: true } charset
                && !charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase) && !charset.Equals("utf8", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            var rank = range.MatchesAllTypes ? 0
                : range.MatchesAllSubTypes ? (range.Type.Equals(offeredType, StringComparison.OrdinalIgnoreCase) ? 1 : -1)
                : range.MediaType.Equals(offer, StringComparison.OrdinalIgnoreCase) ? 2 : -1;
            if (rank > specificity)
            {
                specificity = rank;
                quality = range.Quality ?? 1.0;
            }
        }

        return quality;
    }
}
