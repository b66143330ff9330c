using System.Collections;
using System.Data.Common;
using System.Globalization;
using System.Text.Json;
using Wafer.Protocol.Metadata;

namespace Wafer.Runtime.Modus.Host;

/// <summary>
/// Result rows as the Modus SDK parses them: a JSON array of objects keyed by column name. Numbers and booleans
/// stay JSON, json/jsonb columns are embedded, times are RFC 3339, bytes base64, arrays arrays, anything else
/// (a PostgreSQL point included: <c>(x,y)</c>) its invariant text.
/// </summary>
internal static class SqlRows
{
    public static string Write(DbDataReader reader, int limit, string operation)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartArray();
            while (reader.Read())
            {
                writer.WriteStartObject();
                for (var i = 0; i < reader.FieldCount; i++)
                {
                    writer.WritePropertyName(reader.GetName(i));
                    Value(writer, reader.IsDBNull(i) ? null : reader.GetValue(i), reader.GetDataTypeName(i));
                }

                writer.WriteEndObject();
                if (writer.BytesCommitted + writer.BytesPending > limit)
                {
                    throw new ModusHostException($"{operation}: the result is larger than {limit} bytes; select fewer rows or columns");
                }
            }

            writer.WriteEndArray();
        }

        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static void Value(Utf8JsonWriter writer, object? value, string dataType)
    {
        switch (value)
        {
            case null or DBNull:
                writer.WriteNullValue();
                break;
            case bool b:
                writer.WriteBooleanValue(b);
                break;
            case sbyte or byte or short or ushort or int or uint or long:
                writer.WriteNumberValue(Convert.ToInt64(value, CultureInfo.InvariantCulture));
                break;
            case ulong u:
                writer.WriteNumberValue(u);
                break;
            case decimal m:
                writer.WriteNumberValue(m);
                break;
            case float f when float.IsFinite(f):
                writer.WriteNumberValue(f);
                break;
            case double d when double.IsFinite(d):
                writer.WriteNumberValue(d);
                break;
            case string s when dataType is "json" or "jsonb" or "JSON":
                writer.WriteRawValue(s);
                break;
            case string s:
                writer.WriteStringValue(s);
                break;
            case DateTime t:
                writer.WriteStringValue(t.Kind == DateTimeKind.Unspecified
                    ? t.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF", CultureInfo.InvariantCulture)
                    : Timestamps.Format(new DateTimeOffset(t.ToUniversalTime())));
                break;
            case DateTimeOffset t:
                writer.WriteStringValue(Timestamps.Format(t));
                break;
            case byte[] bytes:
                writer.WriteBase64StringValue(bytes);
                break;
            case IEnumerable items when value is not string:
                writer.WriteStartArray();
                foreach (var item in items)
                {
                    Value(writer, item, "");
                }

                writer.WriteEndArray();
                break;
            default:
                writer.WriteStringValue(Convert.ToString(value, CultureInfo.InvariantCulture));
                break;
        }
    }
}
