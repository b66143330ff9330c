using Wafer.Protocol.Metadata;

namespace Wafer.Protocol.Modus;

/// <summary>
/// A Modus module's exports in Wafer's function model, so REST, GraphQL, the gateway's merged schema and
/// introspection treat it like any plugin. Types map as Modus's GraphQL did: AssemblyScript integers by width
/// (<c>isize</c> as i32, <c>usize</c> as u32), <c>Date</c> as <c>timestamp</c>, byte sequences (ArrayBuffer,
/// Uint8Array, <c>u8[]</c>) as base64 strings, other typed arrays as arrays, <c>Map&lt;K,V&gt;</c> as a list of
/// <c>&lt;K&gt;&lt;V&gt;Pair</c> objects with <c>key</c> and <c>value</c>, and classes by the last segment of their
/// path. Exports whose names start with <c>_</c> (the agent entry points) are not functions.
/// </summary>
public sealed class ModusFunctionModel
{
    private readonly ModusMetadata _modus;
    private readonly Dictionary<string, string> _classNames = new(StringComparer.Ordinal);
    private readonly Dictionary<string, TypeDefinition> _types = new(StringComparer.Ordinal);
    private readonly HashSet<string> _usedNames = new(StringComparer.Ordinal);

    private ModusFunctionModel(ModusMetadata modus)
    {
        _modus = modus;
        var functions = new List<ModusFunction>();
        var mapped = new List<FunctionMetadata>();
        foreach (var function in modus.Exports.Where(f => !f.Name.StartsWith('_')))
        {
            if (!Identifier.IsValid(function.Name))
            {
                throw new MetadataException($"{ModusMetadata.SectionName}: export '{function.Name}' is not a name GraphQL and REST can use");
            }

            var parameters = new List<ParameterMetadata>();
            foreach (var parameter in function.Parameters)
            {
                if (!Identifier.IsValid(parameter.Name))
                {
                    throw new MetadataException($"{ModusMetadata.SectionName}: parameter '{parameter.Name}' of '{function.Name}' is not a name GraphQL and REST can use");
                }

                parameters.Add(new ParameterMetadata(parameter.Name, Map(parameter.Type, function.Name), null)
                {
                    Default = parameter.HasDefault ? parameter.Default : null,
                });
            }

            mapped.Add(new FunctionMetadata(functions.Count, function.Name, parameters,
                function.Result is null ? WasmType.Void : Map(function.Result, function.Name), function.Doc));
            functions.Add(function);
        }

        Functions = functions;
        Metadata = new PluginMetadata(PluginMetadata.CurrentAbi, modus.Sdk, mapped, [.. _types.Values.OrderBy(t => t.Name, StringComparer.Ordinal)]);
    }

    /// <summary>The functions in Wafer's model; <see cref="FunctionMetadata.Index"/> indexes <see cref="Functions"/>.</summary>
    public PluginMetadata Metadata { get; }

    /// <summary>The exported functions behind <see cref="Metadata"/>, in the same order.</summary>
    public IReadOnlyList<ModusFunction> Functions { get; }

    /// <summary>Maps a module's metadata; throws <see cref="MetadataException"/> naming an export or type it cannot serve.</summary>
    public static ModusFunctionModel Build(ModusMetadata modus) => new(modus);

    private WasmType Map(AsType type, string function)
    {
        var mapped = type.Kind switch
        {
            AsTypeKind.Bool => WasmType.Bool,
            AsTypeKind.I8 => WasmType.I8,
            AsTypeKind.U8 => WasmType.U8,
            AsTypeKind.I16 => WasmType.I16,
            AsTypeKind.U16 => WasmType.U16,
            AsTypeKind.I32 => WasmType.I32,
            AsTypeKind.U32 => WasmType.U32,
            AsTypeKind.I64 => WasmType.I64,
            AsTypeKind.U64 => WasmType.U64,
            AsTypeKind.F32 => WasmType.F32,
            AsTypeKind.F64 => WasmType.F64,
            AsTypeKind.String => WasmType.String,
            AsTypeKind.Date => WasmType.Timestamp,
            _ when type.IsByteSequence => WasmType.String,
            AsTypeKind.TypedArray or AsTypeKind.Array => WasmType.ArrayOf(Map(type.Element!, function)),
            AsTypeKind.Map => WasmType.ArrayOf(WasmType.Class(Pair(type, function))),
            _ => WasmType.Class(Class(type, function)),
        };
        return type.IsNullable ? WasmType.NullableOf(mapped) : mapped;
    }

    private string Class(AsType type, string function)
    {
        if (_classNames.TryGetValue(type.Name, out var known))
        {
            return known;
        }

        if (!_modus.Types.TryGetValue(type.Name, out var definition))
        {
            throw new MetadataException($"{ModusMetadata.SectionName}: type '{type.Name}' used by '{function}' is not described in $.types");
        }

        var name = Claim(type.ShortName);
        _classNames[type.Name] = name;
        var fields = new List<FieldDefinition>();
        _types[name] = new TypeDefinition(name, fields, definition.Doc);
        foreach (var field in definition.Fields)
        {
            if (!Identifier.IsValid(field.Name))
            {
                throw new MetadataException($"{ModusMetadata.SectionName}: field '{field.Name}' of '{type.Name}' is not a name GraphQL and REST can use");
            }

            fields.Add(new FieldDefinition(field.Name, Map(field.Type, function), field.Doc));
        }

        return name;
    }

    /// <summary>The pair type of a map, named as Modus's GraphQL did: <c>&lt;Key&gt;&lt;Value&gt;Pair</c>.</summary>
    private string Pair(AsType map, string function)
    {
        var name = PairName(map);
        if (!_types.ContainsKey(name))
        {
            _usedNames.Add(name);
            var fields = new List<FieldDefinition>();
            _types[name] = new TypeDefinition(name, fields, null);
            fields.Add(new FieldDefinition("key", Map(map.Key!, function), null));
            fields.Add(new FieldDefinition("value", Map(map.Element!, function), null));
        }

        return name;
    }

    private string PairName(AsType map) => GraphQLName(map.Key!) + GraphQLName(map.Element!) + "Pair";

    private string GraphQLName(AsType type)
    {
        var core = type.Kind switch
        {
            AsTypeKind.String => "String",
            _ when type.IsByteSequence => "String",
            AsTypeKind.Bool => "Boolean",
            AsTypeKind.F32 or AsTypeKind.F64 => "Float",
            AsTypeKind.U32 => "UInt",
            AsTypeKind.I64 => "Int64",
            AsTypeKind.U64 => "UInt64",
            AsTypeKind.Date => "Timestamp",
            AsTypeKind.Array or AsTypeKind.TypedArray => GraphQLName(type.Element!) + "List",
            AsTypeKind.Map => PairName(type) + "List",
            AsTypeKind.Class => type.ShortName,
            _ => "Int",
        };
        return type.IsNullable ? "Nullable" + core : core;
    }

    private string Claim(string name)
    {
        var candidate = Identifier.IsValid(name) ? name : "Type";
        for (var n = 2; !_usedNames.Add(candidate); n++)
        {
            candidate = $"{name}{n}";
        }

        return candidate;
    }
}
