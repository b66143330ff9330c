using Wafer.Protocol.Metadata;
using Wafer.Runtime.Execution;

namespace Wafer.Runtime.Catalog;

/// <summary>A callable function: the plugin version that serves it and its metadata.</summary>
public sealed record RegisteredFunction(LoadedPlugin Plugin, FunctionMetadata Metadata)
{
    /// <summary>This function's part of the runtime's execution slots.</summary>
    public CallShare Share { get; } = new();

    public string Name => Metadata.Name;

    /// <summary>The unambiguous address <c>plugin/function</c>.</summary>
    public string QualifiedName => Plugin.Name + "/" + Metadata.Name;
}
