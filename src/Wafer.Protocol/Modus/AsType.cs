namespace Wafer.Protocol.Modus;

/// <summary>
/// An AssemblyScript type as <c>modus_metadata</c> names it: <c>i32</c>, <c>~lib/string/String | null</c>,
/// <c>~lib/array/Array&lt;assembly/person/Person&gt;</c>, <c>~lib/map/Map&lt;~lib/string/String,f64&gt;</c>, a class path.
/// Immutable.
/// </summary>
public sealed record AsType
{
    private const string NullSuffix = " | null";
    private const string CompactNullSuffix = "|null";
    private const string ArrayPrefix = "~lib/array/Array<";
    private const string MapPrefix = "~lib/map/Map<";
    private const string TypedArrayPrefix = "~lib/typedarray/";

    private static readonly Dictionary<string, AsTypeKind> Primitives = new(StringComparer.Ordinal)
    {
        ["bool"] = AsTypeKind.Bool, ["i8"] = AsTypeKind.I8, ["u8"] = AsTypeKind.U8, ["i16"] = AsTypeKind.I16,
        ["u16"] = AsTypeKind.U16, ["i32"] = AsTypeKind.I32, ["u32"] = AsTypeKind.U32, ["isize"] = AsTypeKind.I32,
        ["usize"] = AsTypeKind.U32, ["i64"] = AsTypeKind.I64, ["u64"] = AsTypeKind.U64, ["f32"] = AsTypeKind.F32,
        ["f64"] = AsTypeKind.F64,
    };

    private static readonly Dictionary<string, AsTypeKind> TypedArrays = new(StringComparer.Ordinal)
    {
        ["Int8Array"] = AsTypeKind.I8, ["Uint8Array"] = AsTypeKind.U8, ["Uint8ClampedArray"] = AsTypeKind.U8,
        ["Int16Array"] = AsTypeKind.I16, ["Uint16Array"] = AsTypeKind.U16, ["Int32Array"] = AsTypeKind.I32,
        ["Uint32Array"] = AsTypeKind.U32, ["Int64Array"] = AsTypeKind.I64, ["Uint64Array"] = AsTypeKind.U64,
        ["Float32Array"] = AsTypeKind.F32, ["Float64Array"] = AsTypeKind.F64,
    };

    private AsType(AsTypeKind kind, string name, bool nullable, AsType? element = null, AsType? key = null)
    {
        Kind = kind;
        Name = name;
        IsNullable = nullable;
        Element = element;
        Key = key;
    }

    public AsTypeKind Kind { get; }

    /// <summary>The type's name without <c> | null</c>: the key of its entry in the metadata's <c>types</c>.</summary>
    public string Name { get; }

    public bool IsNullable { get; }

    /// <summary>An array's or typed array's element, a map's value.</summary>
    public AsType? Element { get; }

    /// <summary>A map's key.</summary>
    public AsType? Key { get; }

    public bool IsPrimitive => Kind <= AsTypeKind.F64;

    /// <summary>Bytes the value takes in a field, an array element or a map entry: primitives their size, references 4.</summary>
    public int Size => Kind switch
    {
        AsTypeKind.Bool or AsTypeKind.I8 or AsTypeKind.U8 => 1,
        AsTypeKind.I16 or AsTypeKind.U16 => 2,
        AsTypeKind.I64 or AsTypeKind.U64 or AsTypeKind.F64 => 8,
        _ => 4,
    };

    /// <summary>ArrayBuffer, Uint8Array, Uint8ClampedArray and <c>Array&lt;u8&gt;</c>: base64 text in JSON, as Modus has them.</summary>
    public bool IsByteSequence => Kind == AsTypeKind.ArrayBuffer
        || (Kind is AsTypeKind.TypedArray or AsTypeKind.Array && Element!.Kind == AsTypeKind.U8);

    /// <summary>The last segment of a class path: <c>assembly/person/Person</c> → <c>Person</c>.</summary>
    public string ShortName
    {
        get
        {
            var slash = Name.LastIndexOf('/');
            return slash < 0 ? Name : Name[(slash + 1)..];
        }
    }

    public AsType NonNull => IsNullable ? new AsType(Kind, Name, false, Element, Key) : this;

    public override string ToString() => IsNullable ? Name + NullSuffix : Name;

    /// <summary>Parses a metadata type name; throws <see cref="FormatException"/> naming what is wrong.</summary>
    public static AsType Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var name = text.Trim();
        var nullable = false;
        if (name.EndsWith(NullSuffix, StringComparison.Ordinal))
        {
            (name, nullable) = (name[..^NullSuffix.Length].TrimEnd(), true);
        }
        else if (name.EndsWith(CompactNullSuffix, StringComparison.Ordinal))
        {
            (name, nullable) = (name[..^CompactNullSuffix.Length].TrimEnd(), true);
        }

        if (name.Length == 0)
        {
            throw new FormatException($"type '{text}' is empty");
        }

        if (Primitives.TryGetValue(name, out var primitive))
        {
            return new AsType(primitive, name, nullable);
        }

        switch (name)
        {
            case "~lib/string/String" or "string":
                return new AsType(AsTypeKind.String, "~lib/string/String", nullable);
            case "~lib/arraybuffer/ArrayBuffer":
                return new AsType(AsTypeKind.ArrayBuffer, name, nullable);
            case "~lib/date/Date" or "~lib/wasi_date/wasi_Date" or "Date":
                return new AsType(AsTypeKind.Date, name, nullable);
        }

        if (name.StartsWith(ArrayPrefix, StringComparison.Ordinal) && name.EndsWith('>'))
        {
            var element = Parse(name[ArrayPrefix.Length..^1]);
            return new AsType(AsTypeKind.Array, $"{ArrayPrefix}{element}>", nullable, element);
        }

        if (name.StartsWith(MapPrefix, StringComparison.Ordinal) && name.EndsWith('>'))
        {
            var (key, value) = SplitPair(name[MapPrefix.Length..^1], text);
            return new AsType(AsTypeKind.Map, $"{MapPrefix}{key},{value}>", nullable, value, key);
        }

        if (name.StartsWith(TypedArrayPrefix, StringComparison.Ordinal))
        {
            if (!TypedArrays.TryGetValue(name[TypedArrayPrefix.Length..], out var element))
            {
                throw new FormatException($"type '{text}' is not a typed array AssemblyScript has");
            }

            var elementName = Primitives.First(p => p.Value == element && p.Key is not ("isize" or "usize")).Key;
            return new AsType(AsTypeKind.TypedArray, name, nullable, new AsType(element, elementName, false));
        }

        if (name.Contains('<') || name.Contains(',') || name.Contains(' '))
        {
            throw new FormatException($"type '{text}' is not supported (generic classes other than Array and Map, unions, and StaticArray/Set are not)");
        }

        return new AsType(AsTypeKind.Class, name, nullable);
    }

    /// <summary>Splits <c>K,V</c> at the comma outside any angle brackets.</summary>
    private static (AsType Key, AsType Value) SplitPair(string arguments, string text)
    {
        var depth = 0;
        for (var i = 0; i < arguments.Length; i++)
        {
            switch (arguments[i])
            {
                case '<':
                    depth++;
                    break;
                case '>':
                    depth--;
                    break;
                case ',' when depth == 0:
                    return (Parse(arguments[..i]), Parse(arguments[(i + 1)..]));
            }
        }

        throw new FormatException($"map type '{text}' does not have a key and a value type");
    }
}
