using MySqlConnector;

namespace Wafer.Runtime.Modus.Host;

/// <summary><c>mysql://user:password@host:port/database?key=value</c>, as Modus's manifest writes MySQL connections.</summary>
public static class MySqlUrl
{
    public static MySqlConnectionStringBuilder Parse(string text)
    {
        if (!text.StartsWith("mysql://", StringComparison.OrdinalIgnoreCase))
        {
            return new MySqlConnectionStringBuilder(text);
        }

        var uri = new Uri(text);
        var builder = new MySqlConnectionStringBuilder { Server = uri.Host.Trim('[', ']'), Port = uri.Port > 0 ? (uint)uri.Port : 3306 };
        if (uri.UserInfo.Length > 0)
        {
            var colon = uri.UserInfo.IndexOf(':', StringComparison.Ordinal);
            builder.UserID = Uri.UnescapeDataString(colon < 0 ? uri.UserInfo : uri.UserInfo[..colon]);
            if (colon >= 0)
            {
                builder.Password = Uri.UnescapeDataString(uri.UserInfo[(colon + 1)..]);
            }
        }

        var database = Uri.UnescapeDataString(uri.AbsolutePath.TrimStart('/'));
        if (database.Length > 0)
        {
            builder.Database = database;
        }

        foreach (var pair in uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            var key = Uri.UnescapeDataString(equals < 0 ? pair : pair[..equals]);
            var value = Uri.UnescapeDataString(equals < 0 ? "" : pair[(equals + 1)..]);
            if (key is "tls" or "parseTime")
            {
                continue; // Go driver options with no MySqlConnector equivalent
            }

            builder[key] = value;
        }

        return builder;
    }
}
