using Wafer.Protocol.Metadata;

namespace Wafer.GraphQL;

/// <summary>One plugin as the schema generator sees it: its name and the metadata read from its module.</summary>
public sealed record SchemaPlugin(string Name, PluginMetadata Metadata);
