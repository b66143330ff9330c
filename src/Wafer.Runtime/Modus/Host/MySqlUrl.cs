using MySqlConnector;
using Wafer.Runtime.Capabilities.Sql;

namespace Wafer.Runtime.Modus.Host;

/// <summary><c>mysql://user:password@host:port/database?key=value</c>, as Modus's manifest writes MySQL connections.</summary>
internal static class MySqlUrl
{
    public static MySqlConnectionStringBuilder Parse(string text)
    {
        if (!text.StartsWith("mysql://", StringComparison.OrdinalIgnoreCase))
        {
            return new MySqlConnectionStringBuilder(text);
        }

        var url = DatabaseUrl.Parse(text);
        var builder = new MySqlConnectionStringBuilder { Server = url.Host, Port = (uint)(url.Port ?? 3306) };
        if (url.User is not null)
        {
            builder.UserID = url.User;
        }

        if (url.Password is not null)
        {
            builder.Password = url.Password;
        }

        if (url.Database is not null)
        {
            builder.Database = url.Database;
        }

        foreach (var (key, value) in url.Options)
        {
            if (key is "tls" or "parseTime")
            {
                continue; // Go driver options with no MySqlConnector equivalent
            }

            builder[key] = value;
        }

        return builder;
    }
}
