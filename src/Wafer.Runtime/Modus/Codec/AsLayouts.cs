using System.Collections.Concurrent;
using Wafer.Protocol.Modus;

namespace Wafer.Runtime.Modus.Codec;

/// <summary>The class layouts of one module, computed once per class from its metadata and shared by every call.</summary>
internal sealed class AsLayouts(ModusMetadata metadata)
{
    private readonly ConcurrentDictionary<string, (ModusTypeDefinition, int[], int)> _classes = new(StringComparer.Ordinal);

    public ModusMetadata Metadata => metadata;

    public (ModusTypeDefinition Definition, int[] Offsets, int Size) Of(AsType type) =>
        _classes.GetOrAdd(type.Name, static (name, m) =>
        {
            var definition = m.Types.GetValueOrDefault(name) ?? throw new AsCodecException($"class {name} is not described in the module's metadata");
            var (offsets, size) = AsLayout.Class(definition);
            return (definition, offsets, size);
        }, metadata);

    /// <summary>The class id a host allocation of <paramref name="type"/> needs, from this build's metadata.</summary>
    public int ClassId(AsType type) =>
        metadata.ClassId(type) ?? throw new AsCodecException($"type {type.Name} has no class id in the module's metadata");
}
