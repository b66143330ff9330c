using Wafer.Protocol.Metadata;

namespace Wafer.GraphQL;

/// <summary>A function exposed as a GraphQL field: where it comes from and the field it became.</summary>
public sealed record SchemaFunction(string Plugin, FunctionMetadata Function, PluginMetadata Metadata, string FieldName, bool IsMutation)
{
    /// <summary>The function's address <c>plugin/function</c>, as in the catalog.</summary>
    public string QualifiedName => Plugin + "/" + Function.Name;

    /// <summary>Why <see cref="FieldName"/> differs from the naming convention (a name collision), or null.</summary>
    public string? Note { get; init; }
}
