using System.Text.Json;

namespace Wafer.Protocol.Metadata;

/// <summary>Parses and validates <c>wafer.meta</c> JSON; every error names the JSON path at fault.</summary>
public static class MetadataReader
{
    public static PluginMetadata Parse(ReadOnlySpan<byte> utf8Json)
    {
        JsonDocument document;
        try
        {
            var reader = new Utf8JsonReader(utf8Json);
            document = JsonDocument.ParseValue(ref reader);
        }
        catch (JsonException ex)
        {
            throw new MetadataException($"{PluginMetadata.SectionName} is not valid JSON: {ex.Message}");
        }

        using (document)
        {
            return Read(document.RootElement);
        }
    }

    private static PluginMetadata Read(JsonElement root)
    {
        Expect(root, JsonValueKind.Object, "$");
        var abiElement = Required(root, "abi", "$");
        if (abiElement.ValueKind != JsonValueKind.Number || !abiElement.TryGetInt32(out var abi))
        {
            throw new MetadataException("$.abi must be an integer");
        }

        if (abi != PluginMetadata.CurrentAbi)
        {
            throw new MetadataException(
                $"$.abi is {abi}, but this host supports ABI version {PluginMetadata.CurrentAbi} only");
        }

        var sdk = root.TryGetProperty("sdk", out var sdkElement) && sdkElement.ValueKind == JsonValueKind.String
            ? sdkElement.GetString()!
            : "unknown";

        var types = new List<TypeDefinition>();
        if (root.TryGetProperty("types", out var typesElement))
        {
            Expect(typesElement, JsonValueKind.Array, "$.types");
            var index = 0;
            foreach (var item in typesElement.EnumerateArray())
            {
                types.Add(ReadType(item, $"$.types[{index++}]"));
            }
        }

        var functions = new List<FunctionMetadata>();
        var functionsElement = Required(root, "functions", "$");
        Expect(functionsElement, JsonValueKind.Array, "$.functions");
        foreach (var item in functionsElement.EnumerateArray())
        {
            functions.Add(ReadFunction(item, functions.Count, $"$.functions[{functions.Count}]"));
        }

        var metadata = new PluginMetadata(abi, sdk, functions, types);
        Validate(metadata);
        return metadata;
    }

    private static FunctionMetadata ReadFunction(JsonElement element, int index, string path)
    {
        Expect(element, JsonValueKind.Object, path);
        var name = Name(element, path);
        var parameters = new List<ParameterMetadata>();
        if (element.TryGetProperty("parameters", out var parametersElement))
        {
            Expect(parametersElement, JsonValueKind.Array, path + ".parameters");
            foreach (var p in parametersElement.EnumerateArray())
            {
                var pPath = $"{path}.parameters[{parameters.Count}]";
                Expect(p, JsonValueKind.Object, pPath);
                var type = Type(p, "type", pPath);
                if (type.Kind == WasmTypeKind.Void)
                {
                    throw new MetadataException($"{pPath}.type: a parameter cannot be void");
                }

                parameters.Add(new ParameterMetadata(Name(p, pPath), type, Doc(p))
                {
                    Default = p.TryGetProperty("default", out var fallback) ? fallback.Clone() : null,
                });
            }
        }

        var result = element.TryGetProperty("result", out _) ? Type(element, "result", path) : WasmType.Void;
        return new FunctionMetadata(index, name, parameters, result, Doc(element));
    }

    /// <summary>Whether a default has the JSON form of its parameter's type (values are checked in full when calls bind them).</summary>
    private static bool DefaultFits(JsonElement value, WasmType type) => value.ValueKind switch
    {
        JsonValueKind.Null => type.IsNullable,
        _ when type.IsNullable => DefaultFits(value, type.Element!),
        JsonValueKind.True or JsonValueKind.False => type.Kind == WasmTypeKind.Bool,
        JsonValueKind.Number => type.Kind is >= WasmTypeKind.I8 and <= WasmTypeKind.F64 || type.Kind == WasmTypeKind.Timestamp,
        JsonValueKind.String => type.Kind is WasmTypeKind.String or WasmTypeKind.Timestamp or WasmTypeKind.I64 or WasmTypeKind.U64,
        JsonValueKind.Array => type.Kind == WasmTypeKind.Array,
        JsonValueKind.Object => type.Kind == WasmTypeKind.Class,
        _ => false,
    };

    private static TypeDefinition ReadType(JsonElement element, string path)
    {
        Expect(element, JsonValueKind.Object, path);
        var name = Name(element, path);
        var fields = new List<FieldDefinition>();
        var fieldsElement = Required(element, "fields", path);
        Expect(fieldsElement, JsonValueKind.Array, path + ".fields");
        foreach (var f in fieldsElement.EnumerateArray())
        {
            var fPath = $"{path}.fields[{fields.Count}]";
            Expect(f, JsonValueKind.Object, fPath);
            var type = Type(f, "type", fPath);
            if (type.Kind == WasmTypeKind.Void)
            {
                throw new MetadataException($"{fPath}.type: a field cannot be void");
            }

            fields.Add(new FieldDefinition(Name(f, fPath), type, Doc(f)));
        }

        return new TypeDefinition(name, fields, Doc(element));
    }

    private static void Validate(PluginMetadata metadata)
    {
        var typeNames = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < metadata.Types.Count; i++)
        {
            var type = metadata.Types[i];
            if (!typeNames.Add(type.Name))
            {
                throw new MetadataException($"$.types[{i}].name: type '{type.Name}' is defined twice");
            }

            var fieldNames = new HashSet<string>(StringComparer.Ordinal);
            for (var j = 0; j < type.Fields.Count; j++)
            {
                if (!fieldNames.Add(type.Fields[j].Name))
                {
                    throw new MetadataException(
                        $"$.types[{i}].fields[{j}].name: field '{type.Fields[j].Name}' appears twice in '{type.Name}'");
                }

                CheckReferences(type.Fields[j].Type, typeNames, metadata, $"$.types[{i}].fields[{j}].type");
            }
        }

        var functionNames = new HashSet<string>(StringComparer.Ordinal);
        foreach (var function in metadata.Functions)
        {
            var path = $"$.functions[{function.Index}]";
            if (!functionNames.Add(function.Name))
            {
                throw new MetadataException($"{path}.name: function '{function.Name}' is defined twice");
            }

            var parameterNames = new HashSet<string>(StringComparer.Ordinal);
            for (var j = 0; j < function.Parameters.Count; j++)
            {
                var parameter = function.Parameters[j];
                if (!parameterNames.Add(parameter.Name))
                {
                    throw new MetadataException(
                        $"{path}.parameters[{j}].name: parameter '{parameter.Name}' appears twice in '{function.Name}'");
                }

                CheckReferences(parameter.Type, typeNames, metadata, $"{path}.parameters[{j}].type");
                if (parameter.Default is { } fallback && !DefaultFits(fallback, parameter.Type))
                {
                    throw new MetadataException(
                        $"{path}.parameters[{j}].default: {fallback.ValueKind} is not a value of type {parameter.Type}");
                }
            }

            CheckReferences(function.Result, typeNames, metadata, path + ".result");
        }
    }

    private static void CheckReferences(WasmType type, HashSet<string> known, PluginMetadata metadata, string path)
    {
        switch (type.Kind)
        {
            case WasmTypeKind.Array or WasmTypeKind.Nullable:
                CheckReferences(type.Element!, known, metadata, path);
                break;
            case WasmTypeKind.Class when metadata.FindType(type.ClassName!) is null:
                throw new MetadataException($"{path}: type '{type.ClassName}' is not defined in $.types");
        }
    }

    private static string Name(JsonElement element, string path)
    {
        var nameElement = Required(element, "name", path);
        var name = nameElement.ValueKind == JsonValueKind.String ? nameElement.GetString() : null;
        if (!Identifier.IsValid(name))
        {
            throw new MetadataException($"{path}.name must match [A-Za-z_][A-Za-z0-9_]*, got {nameElement.GetRawText()}");
        }

        return name!;
    }

    private static WasmType Type(JsonElement element, string property, string path)
    {
        var typeElement = Required(element, property, path);
        if (typeElement.ValueKind != JsonValueKind.String)
        {
            throw new MetadataException($"{path}.{property} must be a type expression string");
        }

        try
        {
            return WasmType.Parse(typeElement.GetString()!);
        }
        catch (FormatException ex)
        {
            throw new MetadataException($"{path}.{property}: {ex.Message}");
        }
    }

    private static string? Doc(JsonElement element) =>
        element.TryGetProperty("doc", out var doc) && doc.ValueKind == JsonValueKind.String ? doc.GetString() : null;

    private static JsonElement Required(JsonElement element, string property, string path) =>
        element.TryGetProperty(property, out var value)
            ? value
            : throw new MetadataException($"{path}.{property} is missing");

    private static void Expect(JsonElement element, JsonValueKind kind, string path)
    {
        if (element.ValueKind != kind)
        {
            throw new MetadataException($"{path} must be a JSON {kind.ToString().ToLowerInvariant()}");
        }
    }
}
