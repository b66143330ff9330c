namespace Wafer.Runtime.Capabilities.Sql;

/// <summary>
/// The parts of a database URL, <c>scheme://user:password@host:port/database?key=value</c>, unescaped: the one reading
/// of the URLs manifests write for PostgreSQL and MySQL connections.
/// </summary>
internal sealed record DatabaseUrl(string Host, int? Port, string? User, string? Password, string? Database, IReadOnlyList<KeyValuePair<string, string>> Options)
{
    public static DatabaseUrl Parse(string text)
    {
        var uri = new Uri(text);
        string? user = null, password = null;
        if (uri.UserInfo.Length > 0)
        {
            var colon = uri.UserInfo.IndexOf(':', StringComparison.Ordinal);
            user = Uri.UnescapeDataString(colon < 0 ? uri.UserInfo : uri.UserInfo[..colon]);
            password = colon < 0 ? null : Uri.UnescapeDataString(uri.UserInfo[(colon + 1)..]);
        }

        var database = Uri.UnescapeDataString(uri.AbsolutePath.TrimStart('/'));
        var options = new List<KeyValuePair<string, string>>();
        foreach (var pair in uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            options.Add(new(Uri.UnescapeDataString(equals < 0 ? pair : pair[..equals]), Uri.UnescapeDataString(equals < 0 ? "" : pair[(equals + 1)..])));
        }

        return new DatabaseUrl(uri.Host.Trim('[', ']'), uri.Port > 0 ? uri.Port : null, user, password, database.Length > 0 ? database : null, options);
    }
}
