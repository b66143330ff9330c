using Microsoft.Extensions.Logging;
using Wafer.GraphQL;
using Wafer.Runtime.Catalog;
using Wafer.Runtime.Execution;
using Wafer.Runtime.Invocation;
using Wafer.Runtime.Modus.Agents;

namespace Wafer.Runtime.GraphQL;

/// <summary>
/// Builds the schema served for one catalog snapshot: fields call the snapshot's plugin versions through the
/// <see cref="FunctionInvoker"/>, re-resolving from the catalog when a version was retired meanwhile. Every
/// collision resolved, every function left out and every plugin refused is logged.
/// </summary>
/// <remarks>While a Modus app is loaded, <c>Subscription.agentEvent</c> is served too, as Modus did.</remarks>
internal sealed partial class SchemaFactory(
    PluginCatalog catalog, FunctionInvoker invoker, CallSlots slots, ILogger<SchemaFactory> logger, ModusAgents? agents = null)
{
    public GeneratedSchema Create(CatalogSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        var generated = SchemaGenerator.Generate(
            snapshot.Plugins.Select(p => new SchemaPlugin(p.Name, p.Metadata)),
            function => new RegisteredFunctionCaller(snapshot.ByQualifiedName[function.QualifiedName], catalog, invoker, slots),
            agents is not null && snapshot.Plugins.Any(p => p.Modus is not null) ? () => AgentEventField.Create(agents) : null);
        foreach (var note in generated.Notes)
        {
            SchemaNote(logger, snapshot.Version, note);
        }

        foreach (var (plugin, status) in generated.Plugins.Where(p => p.Value.State == PluginSchemaStatus.Refused))
        {
            PluginRefused(logger, plugin, snapshot.Version, status.Reason ?? "");
        }

        SchemaBuilt(logger, snapshot.Version, generated.Functions.Count, snapshot.Plugins.Count, generated.Notes.Count);
        return generated;
    }

    [LoggerMessage(EventId = 2300, EventName = "GraphQLSchemaBuilt", Level = LogLevel.Information,
        Message = "GraphQL schema for catalog version {Version}: {Fields} fields from {Plugins} plugins, {Notes} naming notes")]
    private static partial void SchemaBuilt(ILogger logger, long version, int fields, int plugins, int notes);

    [LoggerMessage(EventId = 2301, EventName = "GraphQLSchemaNote", Level = LogLevel.Warning,
        Message = "GraphQL schema for catalog version {Version}: {Note}")]
    private static partial void SchemaNote(ILogger logger, long version, string note);

    [LoggerMessage(EventId = 2303, EventName = "GraphQLPluginRefused", Level = LogLevel.Error,
        Message = "GraphQL schema for catalog version {Version} leaves plugin {Plugin} out: {Reason}; its functions stay callable over HTTP and every other plugin keeps its fields")]
    private static partial void PluginRefused(ILogger logger, string plugin, long version, string reason);
}
