using GraphQL.Types;

namespace Wafer.Runtime.GraphQL;

/// <summary>
/// A schema built from a set of plugins, initialized and ready to execute. <see cref="Notes"/> says every name
/// that was changed to resolve a collision and every function left out, in words fit for a log line.
/// </summary>
public sealed record GeneratedSchema(ISchema Schema, IReadOnlyList<SchemaFunction> Functions, IReadOnlyList<string> Notes);
