using System.Text;
using GraphQL;
using GraphQL.Types;
using GraphQL.Utilities;

namespace Wafer.GraphQL;

/// <summary>The schema served for one catalog version. Immutable; its SDL is printed once, on first use.</summary>
public sealed class ServedSchema
{
    private readonly Lazy<string> _sdl;

    public ServedSchema(long version, ISchema schema, IReadOnlyList<string> notes, IReadOnlyDictionary<string, PluginSchemaStatus> plugins)
    {
        Version = version;
        Schema = schema;
        Notes = notes;
        Plugins = plugins;
        _sdl = new Lazy<string>(Print, LazyThreadSafetyMode.ExecutionAndPublication);
    }

    /// <summary>The catalog snapshot version this schema answers for.</summary>
    public long Version { get; }

    public ISchema Schema { get; }

    /// <summary>Names changed to resolve collisions, functions left out and plugins refused, in words.</summary>
    public IReadOnlyList<string> Notes { get; }

    /// <summary>What the schema made of each plugin, by name.</summary>
    public IReadOnlyDictionary<string, PluginSchemaStatus> Plugins { get; }

    /// <summary>The schema in GraphQL SDL, preceded by comments listing <see cref="Notes"/>.</summary>
    public string Sdl => _sdl.Value;

    private string Print()
    {
        var header = new StringBuilder();
        header.Append("# Wafer GraphQL schema (generated from the loaded plugins, catalog version ").Append(Version).Append(")\n");
        foreach (var note in Notes)
        {
            header.Append("# note: ").Append(note.ReplaceLineEndings(" ")).Append('\n');
        }

        return header.Append('\n').Append(Schema.Print(new PrintOptions { IncludeDescriptions = true })).ToString();
    }
}
