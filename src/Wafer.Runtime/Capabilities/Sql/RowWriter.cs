using System.Collections;
using System.Globalization;
using System.Text.Json;
using Npgsql;

namespace Wafer.Runtime.Capabilities.Sql;

/// <summary>
/// Writes result rows as JSON objects keyed by column name (a repeated name gets a <c>_2</c>, <c>_3</c>… suffix).
/// Numbers and booleans stay JSON numbers and booleans; json/jsonb columns are embedded as JSON; timestamps are
/// ISO 8601 text; bytea is base64; arrays are arrays; anything else is its invariant text form.
/// </summary>
internal static class RowWriter
{
    /// <summary>
    /// Writes every row and returns how many; stops with a <see cref="CapabilityException"/> once the JSON passes
    /// <paramref name="limit"/> bytes.
    /// </summary>
    public static int WriteRows(Utf8JsonWriter writer, NpgsqlDataReader reader, int limit, string operation, string connection)
    {
        var names = ColumnNames(reader);
        var types = Enumerable.Range(0, reader.FieldCount).Select(reader.GetDataTypeName).ToArray();
        writer.WriteStartArray("rows");
        var count = 0;
        while (reader.Read())
        {
            count++;
            writer.WriteStartObject();
            for (var i = 0; i < names.Length; i++)
            {
                writer.WritePropertyName(names[i]);
                Value(writer, reader.GetValue(i), types[i]);
            }

            writer.WriteEndObject();
            if (writer.BytesCommitted + writer.BytesPending > limit)
            {
                throw new CapabilityException(
                    $"{operation}: the result is larger than {limit} bytes (connection '{connection}' maxResponseBytes); select fewer rows or columns");
            }
        }

        writer.WriteEndArray();
        return count;
    }

    private static string[] ColumnNames(NpgsqlDataReader reader)
    {
        var names = new string[reader.FieldCount];
        var used = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < names.Length; i++)
        {
            var name = reader.GetName(i);
            var candidate = name;
            for (var n = 2; !used.Add(candidate); n++)
            {
                candidate = $"{name}_{n}";
            }

            names[i] = candidate;
        }

        return names;
    }

    private static void Value(Utf8JsonWriter writer, object value, string dataType)
    {
        switch (value)
        {
            case DBNull or null:
                writer.WriteNullValue();
                break;
            case bool b:
                writer.WriteBooleanValue(b);
                break;
            case short or int or long or byte or sbyte or ushort or uint:
                writer.WriteNumberValue(Convert.ToInt64(value, CultureInfo.InvariantCulture));
                break;
            case ulong u:
                writer.WriteNumberValue(u);
                break;
            case decimal m:
                writer.WriteNumberValue(m);
                break;
            case double d when double.IsFinite(d):
                writer.WriteNumberValue(d);
                break;
            case float f when float.IsFinite(f):
                writer.WriteNumberValue(f);
                break;
            case string s when dataType is "json" or "jsonb":
                writer.WriteRawValue(s);
                break;
            case string s:
                writer.WriteStringValue(s);
                break;
            case DateTime t:
                writer.WriteStringValue(t.ToString("O", CultureInfo.InvariantCulture));
                break;
            case DateTimeOffset t:
                writer.WriteStringValue(t.ToString("O", CultureInfo.InvariantCulture));
                break;
            case DateOnly d:
                writer.WriteStringValue(d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
                break;
            case TimeOnly t:
                writer.WriteStringValue(t.ToString("HH:mm:ss.FFFFFFF", CultureInfo.InvariantCulture));
                break;
            case Guid g:
                writer.WriteStringValue(g);
                break;
            case byte[] bytes:
                writer.WriteBase64StringValue(bytes);
                break;
            case Array array:
                writer.WriteStartArray();
                var elementType = dataType.EndsWith("[]", StringComparison.Ordinal) ? dataType[..^2] : dataType;
                foreach (var item in (IEnumerable)array)
                {
                    Value(writer, item, elementType);
                }

                writer.WriteEndArray();
                break;
            case IFormattable formattable:
                writer.WriteStringValue(formattable.ToString(null, CultureInfo.InvariantCulture));
                break;
            default:
                writer.WriteStringValue(value.ToString());
                break;
        }
    }
}
