using GraphQL.Types;
using Wafer.Protocol.Metadata;

namespace Wafer.GraphQL;

/// <summary>
/// Maps ABI types to GraphQL types for one schema (docs/graphql.md, "Types"): scalars, lists, nullability,
/// classes as object types and, as arguments, as <c>…Input</c> input types. Each class becomes one type
/// instance, named by <see cref="ClassNaming"/> and made unique by a <see cref="NameRegistry"/>. A class with no
/// fields gets one placeholder field, <c>_empty: Boolean</c> (always null; ignored as input), because GraphQL
/// requires every object and input type to have a field.
/// </summary>
internal sealed class GraphTypeMapper(ClassNaming naming, List<string> notes)
{
    /// <summary>The placeholder field of a type made from a class with no fields.</summary>
    public const string EmptyClassField = "_empty";

    private const string EmptyClassDescription = "Placeholder: the class has no fields, and GraphQL requires one. Always null; ignored as input.";

    private readonly NameRegistry _typeNames = new(notes, ClassNaming.ReservedTypeNames);
    private readonly Dictionary<(string? Owner, string Class), ObjectGraphType> _objects = [];
    private readonly Dictionary<(string? Owner, string Class), InputObjectGraphType> _inputs = [];
    private readonly StringGraphType _string = new();
    private readonly BooleanGraphType _boolean = new();
    private readonly IntGraphType _int = new();
    private readonly FloatGraphType _float = new();
    private readonly Int64ScalarType _int64 = new();
    private readonly UIntScalarType _uint = new();
    private readonly UInt64ScalarType _uint64 = new();
    private readonly VoidScalarType _void = new();
    private readonly TimestampScalarType _timestamp = new();

    /// <summary>The GraphQL type of a value a function returns (non-null unless the ABI type is nullable).</summary>
    public IGraphType Output(ExposedPlugin plugin, WasmType type) => type.Kind switch
    {
        WasmTypeKind.Nullable => Nullable(Output(plugin, type.Element!)),
        WasmTypeKind.Void => _void,
        WasmTypeKind.Array => new NonNullGraphType(new ListGraphType(Output(plugin, type.Element!))),
        WasmTypeKind.Class => new NonNullGraphType(Object(plugin, type.ClassName!)),
        _ => new NonNullGraphType(Scalar(type)),
    };

    /// <summary>The GraphQL type of an argument or input field (non-null unless the ABI type is nullable).</summary>
    public IGraphType Input(ExposedPlugin plugin, WasmType type) => type.Kind switch
    {
        WasmTypeKind.Nullable => Nullable(Input(plugin, type.Element!)),
        WasmTypeKind.Array => new NonNullGraphType(new ListGraphType(Input(plugin, type.Element!))),
        WasmTypeKind.Class => new NonNullGraphType(InputObject(plugin, type.ClassName!)),
        _ => new NonNullGraphType(Scalar(type)),
    };

    /// <summary>The type without its outermost non-null wrapper.</summary>
    public static IGraphType Nullable(IGraphType type) => type is NonNullGraphType nonNull ? nonNull.ResolvedType! : type;

    private ScalarGraphType Scalar(WasmType type) => type.Kind switch
    {
        WasmTypeKind.String => _string,
        WasmTypeKind.Bool => _boolean,
        WasmTypeKind.F32 or WasmTypeKind.F64 => _float,
        WasmTypeKind.I8 or WasmTypeKind.I16 or WasmTypeKind.I32 or WasmTypeKind.U8 or WasmTypeKind.U16 => _int,
        WasmTypeKind.U32 => _uint,
        WasmTypeKind.I64 => _int64,
        WasmTypeKind.U64 => _uint64,
        WasmTypeKind.Timestamp => _timestamp,
        _ => _void,
    };

    private ObjectGraphType Object(ExposedPlugin plugin, string className)
    {
        var key = naming.KeyOf(plugin.Name, className);
        if (_objects.TryGetValue((key.Owner, key.Class), out var existing))
        {
            return existing;
        }

        var definition = plugin.Metadata.FindType(className)!;
        var type = new ObjectGraphType
        {
            Name = _typeNames.Claim(key.Name, $"type '{className}' of plugin {plugin.Name}"),
            Description = definition.Doc,
        };
        _objects[(key.Owner, key.Class)] = type; // before the fields: classes may refer to themselves
        foreach (var field in definition.Fields)
        {
            type.AddField(new FieldType
            {
                Name = field.Name,
                Description = field.Doc,
                ResolvedType = Output(plugin, field.Type),
                Resolver = new DictionaryFieldResolver(field.Name),
            });
        }

        if (definition.Fields.Count == 0)
        {
            type.AddField(new FieldType
            {
                Name = EmptyClassField,
                Description = EmptyClassDescription,
                ResolvedType = _boolean,
                Resolver = new DictionaryFieldResolver(EmptyClassField),
            });
        }

        return type;
    }

    private InputObjectGraphType InputObject(ExposedPlugin plugin, string className)
    {
        var key = naming.KeyOf(plugin.Name, className);
        if (_inputs.TryGetValue((key.Owner, key.Class), out var existing))
        {
            return existing;
        }

        var definition = plugin.Metadata.FindType(className)!;
        var desired = key.Name.EndsWith("Input", StringComparison.Ordinal) ? key.Name : key.Name + "Input";
        var type = new InputObjectGraphType
        {
            Name = _typeNames.Claim(desired, $"input type for '{className}' of plugin {plugin.Name}"),
            Description = definition.Doc,
        };
        _inputs[(key.Owner, key.Class)] = type;
        foreach (var field in definition.Fields)
        {
            type.AddField(new FieldType { Name = field.Name, Description = field.Doc, ResolvedType = Input(plugin, field.Type) });
        }

        if (definition.Fields.Count == 0)
        {
            type.AddField(new FieldType { Name = EmptyClassField, Description = EmptyClassDescription, ResolvedType = _boolean });
        }

        return type;
    }
}
