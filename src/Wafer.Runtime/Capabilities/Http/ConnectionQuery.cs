namespace Wafer.Runtime.Capabilities.Http;

/// <summary>
/// Appends a connection's query parameters to a request URL: added after the guest's own parameters, never
/// replacing them (an upstream that reads the first value sees the guest's; one that reads the last sees the host's).
/// </summary>
internal static class ConnectionQuery
{
    public static Uri Append(Uri url, KeyValuePair<string, string>[] parameters)
    {
        if (parameters.Length == 0)
        {
            return url;
        }

        var builder = new UriBuilder(url);
        var query = builder.Query.TrimStart('?');
        foreach (var (name, value) in parameters)
        {
            query += (query.Length == 0 ? "" : "&") + Uri.EscapeDataString(name) + "=" + Uri.EscapeDataString(value);
        }

        builder.Query = query;
        return builder.Uri;
    }
}
