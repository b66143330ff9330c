using Wafer.ControlPlane.Store;
using Wafer.ControlPlane.Tests.Support;
using Wafer.Storage;
using static Wafer.ControlPlane.Tests.Support.Fleets;

namespace Wafer.ControlPlane.Tests.Store;

public sealed class FleetStoreTests
{
    public static TheoryData<string> Dialects => ["sqlite", "postgres"];

    private static async Task<(ControlDatabase Database, SqlFleetStore Store)> OpenAsync(string dialect)
    {
        var database = ControlDatabase.Open(await TestDatabases.CreateAsync(dialect), TestDatabases.TempFolder());
        Assert.Equal(dialect == "postgres" ? SqlDialect.Postgres : SqlDialect.Sqlite, database.Dialect);
        return (database, new SqlFleetStore(database));
    }

    [Theory]
    [MemberData(nameof(Dialects))]
    public async Task Fleet_SavedAndLoaded_RoundTrips(string dialect)
    {
        var (database, store) = await OpenAsync(dialect);
        await using var _ = database;
        var deployment = Deployment("web", replicas: 3, labels: [("zone", "b"), ("gpu", "no")]) with
        {
            Config = ImmutableSortedDictionary<string, string>.Empty.Add("greeting", "hi"),
        };
        var runtime = Fleets.Runtime("rt-1", maxModules: 7, draining: true, labels: ("zone", "b")) with { ShutdownSent = true, Load = null, H2cUrl = "http://rt-1.test:9000" };
        var module = Module("m-1", "web", "rt-1", ModuleStatus.Failed) with { Reason = "hash mismatch" };

        await store.SaveDeploymentAsync(deployment);
        await store.SaveRuntimeAsync(runtime);
        await store.SaveModuleAsync(module);
        var loaded = await new SqlFleetStore(database).LoadAsync();

        var d = Assert.Single(loaded.Deployments);
        Assert.Equal((deployment.Name, deployment.Hash, deployment.Manifest, deployment.Replicas, "functions"), (d.Name, d.Hash, d.Manifest, d.Replicas, d.Kind));
        Assert.Equal(deployment.Labels, d.Labels);
        Assert.Equal("hi", d.Config["greeting"]);
        Assert.Equal(deployment.CreatedAt, d.CreatedAt);
        var r = Assert.Single(loaded.Runtimes);
        Assert.Equal(runtime with { Kinds = r.Kinds, Labels = r.Labels }, r);
        Assert.Equal(runtime.Kinds, r.Kinds);
        Assert.Equal(runtime.Labels, r.Labels);
        Assert.Equal(module, Assert.Single(loaded.Modules));
    }

    [Theory]
    [MemberData(nameof(Dialects))]
    public async Task Upserts_AndDeletes_AreApplied(string dialect)
    {
        var (database, store) = await OpenAsync(dialect);
        await using var _ = database;

        await store.SaveDeploymentAsync(Deployment("web", replicas: 1));
        await store.SaveDeploymentAsync(Deployment("web", replicas: 4, hash: 'b'));
        await store.SaveDeploymentAsync(Deployment("gone"));
        await store.DeleteDeploymentAsync("gone");
        await store.SaveModuleAsync(Module("m-1", "web", "rt", ModuleStatus.Pending));
        await store.SaveModuleAsync(Module("m-1", "web", "rt", ModuleStatus.Running));
        await store.SaveModuleAsync(Module("m-2", "web", "rt"));
        await store.DeleteModuleAsync("m-2");
        var loaded = await store.LoadAsync();

        var d = Assert.Single(loaded.Deployments);
        Assert.Equal((4, Hash('b')), (d.Replicas, d.Hash));
        Assert.Equal(ModuleStatus.Running, Assert.Single(loaded.Modules).Status);
    }

    [Theory]
    [MemberData(nameof(Dialects))]
    public async Task Changes_OfABatch_AreSavedTogether_TheLastOfEachRecord(string dialect)
    {
        var (database, store) = await OpenAsync(dialect);
        await using var _ = database;
        await store.SaveDeploymentAsync(Deployment("gone"));
        await store.SaveModuleAsync(Module("m-old", "gone", "rt"));

        var changes = new FleetChanges();
        changes.Save(Deployment("web", replicas: 2));
        changes.DeleteDeployment("gone");
        changes.Save(Fleets.Runtime("rt", maxModules: 3));
        changes.Save(Module("m-1", "web", "rt", ModuleStatus.Pending));
        changes.Save(Module("m-1", "web", "rt", ModuleStatus.Running));
        changes.Save(Module("m-2", "web", "rt"));
        changes.DeleteModule("m-2");
        changes.DeleteModule("m-old");
        Assert.Equal(6, changes.Count);
        await store.SaveChangesAsync(changes);
        var loaded = await new SqlFleetStore(database).LoadAsync();

        Assert.Equal(("web", 2), Assert.Single(loaded.Deployments) is var d ? (d.Name, d.Replicas) : default);
        Assert.Equal(3, Assert.Single(loaded.Runtimes).Capacity.MaxModules);
        Assert.Equal(Module("m-1", "web", "rt", ModuleStatus.Running), Assert.Single(loaded.Modules));
    }

    [Theory]
    [MemberData(nameof(Dialects))]
    public async Task Artifacts_KeepTheirManifestWhenUploadedAgainWithout(string dialect)
    {
        var (database, store) = await OpenAsync(dialect);
        await using var _ = database;

        await store.SaveArtifactAsync(new ArtifactRecord(Hash(), 42, """{"name":"x"}""", T0));
        await store.SaveArtifactAsync(new ArtifactRecord(Hash(), 42, null, T0.AddHours(1)));

        var artifact = await store.GetArtifactAsync(Hash());
        Assert.Equal(new ArtifactRecord(Hash(), 42, """{"name":"x"}""", T0), artifact);
        Assert.Null(await store.GetArtifactAsync(Hash('b')));
    }

    [Theory]
    [MemberData(nameof(Dialects))]
    public async Task Migrations_SecondOpen_DoesNotReapply(string dialect)
    {
        var connection = await TestDatabases.CreateAsync(dialect);
        var storage = TestDatabases.TempFolder();
        await using (var first = ControlDatabase.Open(connection, storage))
        {
            await new SqlFleetStore(first).SaveDeploymentAsync(Deployment("web"));
        }

        await using var second = ControlDatabase.Open(connection, storage);
        Assert.Single((await new SqlFleetStore(second).LoadAsync()).Deployments);
    }

    [Fact]
    public async Task Sqlite_DefaultFile_InStoragePath()
    {
        var storage = TestDatabases.TempFolder();
        await using var database = ControlDatabase.Open(null, storage);
        await new SqlFleetStore(database).LoadAsync();

        Assert.True(File.Exists(Path.Combine(storage, ControlDatabase.DefaultFileName)));
    }
}
