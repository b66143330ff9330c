namespace Wafer.Protocol.Metadata;

/// <summary>The contents of a module's <c>wafer.meta</c> custom section (docs/abi.md §1), validated.</summary>
public sealed record PluginMetadata(
    int Abi,
    string Sdk,
    IReadOnlyList<FunctionMetadata> Functions,
    IReadOnlyList<TypeDefinition> Types)
{
    public const string SectionName = "wafer.meta";
    public const int CurrentAbi = 1;

    public TypeDefinition? FindType(string name)
    {
        foreach (var type in Types)
        {
            if (type.Name == name)
            {
                return type;
            }
        }

        return null;
    }
}

public sealed record FunctionMetadata(
    int Index,
    string Name,
    IReadOnlyList<ParameterMetadata> Parameters,
    WasmType Result,
    string? Doc);

public sealed record ParameterMetadata(string Name, WasmType Type, string? Doc)
{
    /// <summary>
    /// The value a caller who omits the argument gets (JSON <c>null</c> included), or null when the argument has no
    /// default. Modus apps declare defaults for optional parameters; GraphQL shows them as argument defaults.
    /// </summary>
    public System.Text.Json.JsonElement? Default { get; init; }
}

public sealed record TypeDefinition(string Name, IReadOnlyList<FieldDefinition> Fields, string? Doc);

public sealed record FieldDefinition(string Name, WasmType Type, string? Doc);
