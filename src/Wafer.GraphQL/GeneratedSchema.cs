using GraphQL.Types;

namespace Wafer.GraphQL;

/// <summary>
/// A schema built from a set of plugins, initialized and ready to execute. <see cref="Notes"/> says every name
/// that was changed to resolve a collision, every function left out and every plugin refused, in words fit for a
/// log line; <see cref="Plugins"/> says, for each plugin given, whether the schema took it.
/// </summary>
public sealed record GeneratedSchema(
    ISchema Schema,
    IReadOnlyList<SchemaFunction> Functions,
    IReadOnlyList<string> Notes,
    IReadOnlyDictionary<string, PluginSchemaStatus> Plugins);
