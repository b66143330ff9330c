using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Wafer.Runtime.Agent;
using Wafer.Runtime.Catalog;
using Wafer.Storage.Artifacts;
using Wafer.Runtime.Hosting;
using Wafer.Tests.Shared;

namespace Wafer.Runtime.Tests.Agent;

/// <summary>
/// The copy of placed modules (records under <c>STORAGE/modules</c>, wasm in the runtime's file store): written whole or
/// not at all. On a full disk (a small tmpfs) nothing half-written or temporary is left, and a later start reads only
/// whole records.
/// </summary>
public sealed class ModuleStoreTests
{
    private static readonly JsonElement Manifest = JsonDocument.Parse("""{"name":"web"}""").RootElement.Clone();

    [Fact]
    public void Save_OnAFullDisk_LeavesNothingBehind()
    {
        var storage = Path.Combine(Path.GetTempPath(), "wafer-tests", Guid.NewGuid().ToString("N")[..12]);
        using var disk = SmallDisk.MountOrSkip(storage, sizeKiB: 256);
        var options = Options.Create(new RuntimeOptions { StoragePath = storage });
        var store = new ModuleStore(options, new PluginFiles(options, NullLogger<PluginFiles>.Instance), NullLogger<ModuleStore>.Instance);
        byte[] smallWasm = new byte[1000], bigWasm = new byte[64 * 1024];
        var small = new StoredModule("m-1", "web", ContentHash.Of(smallWasm), Manifest, null);
        store.Save(small, smallWasm);
        disk.Fill(freeBytes: 4096);

        store.Save(new StoredModule("m-2", "big", ContentHash.Of(bigWasm), Manifest, null), bigWasm);

        Assert.Empty(Directory.GetFiles(disk.Folder, "*.tmp", SearchOption.AllDirectories));
        Assert.Equal(["m-1"], store.LoadAll().Select(m => m.ModuleId));
        Assert.Null(store.TryReadArtifact(ContentHash.Of(bigWasm)));
        Assert.Equal(1000, store.TryReadArtifact(ContentHash.Of(smallWasm))!.Length);
    }
}
