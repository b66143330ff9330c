namespace Wafer.Protocol.Metadata;

/// <summary>
/// A parsed type expression such as <c>string</c>, <c>Person[]?</c> or <c>i64?[]</c>.
/// Immutable; primitives are shared singletons.
/// </summary>
public sealed record WasmType
{
    private WasmType(WasmTypeKind kind, string? className, WasmType? element)
    {
        Kind = kind;
        ClassName = className;
        Element = element;
    }

    public WasmTypeKind Kind { get; }

    /// <summary>The class name when <see cref="Kind"/> is <see cref="WasmTypeKind.Class"/>.</summary>
    public string? ClassName { get; }

    /// <summary>The element type of an array, or the inner type of a nullable.</summary>
    public WasmType? Element { get; }

    public bool IsNullable => Kind == WasmTypeKind.Nullable;

    /// <summary>The type without its outermost nullability.</summary>
    public WasmType NonNull => Kind == WasmTypeKind.Nullable ? Element! : this;

    public static readonly WasmType Bool = new(WasmTypeKind.Bool, null, null);
    public static readonly WasmType I8 = new(WasmTypeKind.I8, null, null);
    public static readonly WasmType I16 = new(WasmTypeKind.I16, null, null);
    public static readonly WasmType I32 = new(WasmTypeKind.I32, null, null);
    public static readonly WasmType I64 = new(WasmTypeKind.I64, null, null);
    public static readonly WasmType U8 = new(WasmTypeKind.U8, null, null);
    public static readonly WasmType U16 = new(WasmTypeKind.U16, null, null);
    public static readonly WasmType U32 = new(WasmTypeKind.U32, null, null);
    public static readonly WasmType U64 = new(WasmTypeKind.U64, null, null);
    public static readonly WasmType F32 = new(WasmTypeKind.F32, null, null);
    public static readonly WasmType F64 = new(WasmTypeKind.F64, null, null);
    public static readonly WasmType String = new(WasmTypeKind.String, null, null);
    public static readonly WasmType Timestamp = new(WasmTypeKind.Timestamp, null, null);
    public static readonly WasmType Void = new(WasmTypeKind.Void, null, null);

    public static WasmType Class(string name) => new(WasmTypeKind.Class, name, null);

    public static WasmType ArrayOf(WasmType element) => new(WasmTypeKind.Array, null, element);

    public static WasmType NullableOf(WasmType inner) =>
        inner.Kind == WasmTypeKind.Nullable ? inner : new(WasmTypeKind.Nullable, null, inner);

    public override string ToString() => Kind switch
    {
        WasmTypeKind.Class => ClassName!,
        WasmTypeKind.Array => Element + "[]",
        WasmTypeKind.Nullable => Element + "?",
        _ => Kind.ToString().ToLowerInvariant(),
    };

    /// <summary>
    /// Most <c>[]</c> and <c>?</c> suffixes one type expression may have. Everything that walks a type (the value
    /// checker, the GraphQL schema, printing) recurses once per suffix: a deeper one would only serve to overflow the
    /// stack, which ends the process.
    /// </summary>
    public const int MaxNesting = 32;

    /// <summary>Parses a type expression; throws <see cref="FormatException"/> naming what is wrong.</summary>
    public static WasmType Parse(string expression)
    {
        ArgumentNullException.ThrowIfNull(expression);
        var text = expression.Trim();
        var end = text.Length;
        var suffixes = 0;
        while (end > 0 && (text[end - 1] == '?' || text[end - 1] == ']'))
        {
            if (++suffixes > MaxNesting)
            {
                throw new FormatException($"type '{Shortened(expression)}' nests arrays and nullables more than {MaxNesting} deep");
            }

            end -= text[end - 1] == '?' ? 1 : 2;
            if (end < 0 || text[end] != '[' && text[end] != '?')
            {
                throw new FormatException($"type '{expression}' has an unbalanced '[]' suffix");
            }
        }

        var baseName = text[..end];
        var type = ParseBase(baseName, expression);
        for (var i = end; i < text.Length;)
        {
            if (text[i] == '?')
            {
                if (type.IsNullable)
                {
                    throw new FormatException($"type '{expression}' repeats '?'");
                }

                type = NullableOf(type);
                i++;
            }
            else
            {
                if (type.Kind == WasmTypeKind.Void)
                {
                    throw new FormatException($"type '{expression}' makes an array of void");
                }

                type = ArrayOf(type);
                i += 2;
            }
        }

        return type;
    }

    private static string Shortened(string expression) => expression.Length <= 80 ? expression : expression[..80] + "…";

    private static WasmType ParseBase(string name, string expression) => name switch
    {
        "bool" => Bool,
        "i8" => I8,
        "i16" => I16,
        "i32" => I32,
        "i64" => I64,
        "u8" => U8,
        "u16" => U16,
        "u32" => U32,
        "u64" => U64,
        "f32" => F32,
        "f64" => F64,
        "string" => String,
        "timestamp" => Timestamp,
        "void" => Void,
        _ when Identifier.IsValid(name) => Class(name),
        _ => throw new FormatException($"type '{expression}' has an invalid base type '{name}'"),
    };
}
