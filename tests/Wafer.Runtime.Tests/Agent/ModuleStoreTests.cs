using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Wafer.Runtime.Agent;
using Wafer.Runtime.Hosting;
using Wafer.Tests.Shared;

namespace Wafer.Runtime.Tests.Agent;

/// <summary>
/// The copy of placed modules under <c>STORAGE/modules</c>: written whole or not at all. On a full disk (a small
/// tmpfs) nothing half-written or temporary is left, and a later start reads only whole records.
/// </summary>
public sealed class ModuleStoreTests
{
    private static readonly JsonElement Manifest = JsonDocument.Parse("""{"name":"web"}""").RootElement.Clone();

    [Fact]
    public void Save_OnAFullDisk_LeavesNothingBehind()
    {
        var storage = Path.Combine(Path.GetTempPath(), "wafer-tests", Guid.NewGuid().ToString("N")[..12]);
        using var disk = SmallDisk.MountOrSkip(Path.Combine(storage, "modules"), sizeKiB: 256);
        var store = new ModuleStore(Options.Create(new RuntimeOptions { StoragePath = storage }), NullLogger<ModuleStore>.Instance);
        var small = new StoredModule("m-1", "web", new string('a', 64), Manifest, null);
        store.Save(small, new byte[1000]);
        disk.Fill(freeBytes: 4096);

        store.Save(new StoredModule("m-2", "big", new string('b', 64), Manifest, null), new byte[64 * 1024]);

        Assert.Empty(Directory.GetFiles(disk.Folder, "*.tmp", SearchOption.AllDirectories));
        Assert.Equal(["m-1"], store.LoadAll().Select(m => m.ModuleId));
        Assert.Null(store.TryReadArtifact(new string('b', 64)));
        Assert.Equal(1000, store.TryReadArtifact(new string('a', 64))!.Length);
    }
}
