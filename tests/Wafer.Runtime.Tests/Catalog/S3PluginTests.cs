using System.Net;
using Microsoft.Extensions.Logging;
using Wafer.Runtime.Catalog;
using Wafer.Runtime.Catalog.S3;
using Wafer.Runtime.Tests.Capabilities.Support;
using Wafer.Runtime.Tests.Support;
using Wafer.Storage.S3;
using Wafer.Tests.S3;
using Wafer.Tests.Shared;

namespace Wafer.Runtime.Tests.Catalog;

/// <summary>
/// Plugins served from a bucket of a real S3-compatible server (s3rver on 127.0.0.1), reached through the standard AWS
/// variables: every page of a listing, changes by ETag, deletions, and an outage with its recovery.
/// </summary>
public sealed class S3PluginTests(LocalS3 s3) : IClassFixture<LocalS3>
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task BucketOf2500Objects_LoadsThePluginsOfEveryPage()
    {
        var bucket = await s3.NewBucketAsync();
        var echo = File.ReadAllBytes(TestGuests.Wasm("echo"));
        var filler = "not a plugin"u8.ToArray();
        // 2,500 objects in three pages of 1,000 (S3's page size): a plugin every 250 keys, so each page holds some.
        await Parallel.ForEachAsync(Enumerable.Range(0, 2500), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, _) =>
            await s3.Server.PutAsync(bucket, i % 250 == 0 ? $"shared/k{i:0000}.wasm" : $"shared/k{i:0000}.txt", i % 250 == 0 ? echo : filler));

        await using var server = await StartAsync(bucket, "shared");

        var names = server.Catalog.Current.Plugins.Select(p => p.Name).Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(Enumerable.Range(0, 10).Select(i => $"k{i * 250:0000}"), names);
        var (response, body) = await server.PostJsonAsync("/functions/k2250/hello", "{}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("hello", body.GetProperty("result").GetString());
        Assert.DoesNotContain(Directory.EnumerateFiles(server.PluginsPath), f => f.EndsWith(".txt", StringComparison.Ordinal)); // only what a plugins folder reads is fetched
    }

    [Fact]
    public async Task SmallPages_AreAllRead()
    {
        var bucket = await s3.NewBucketAsync();
        foreach (var name in new[] { "a", "b", "c", "d", "e" })
        {
            await s3.Server.PutFileAsync(bucket, name + ".wasm", TestGuests.Wasm("echo"));
        }

        await using var server = await StartAsync(bucket, prefix: null, pageSize: 2);

        Assert.Equal(["a", "b", "c", "d", "e"], server.Catalog.Current.Plugins.Select(p => p.Name).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task ChangedObject_IsLoaded_AndABrokenVersionNeverReplacesIt()
    {
        var bucket = await s3.NewBucketAsync();
        await s3.Server.PutFileAsync(bucket, "plugins/swap.wasm", TestGuests.Wasm("echo"));
        await using var server = await StartAsync(bucket, "plugins");
        Assert.True(server.Catalog.Current.ByName.ContainsKey("hello"));

        await s3.Server.PutFileAsync(bucket, "plugins/swap.wasm", TestGuests.Wasm("counter"));
        await Eventually.TrueAsync(() => server.Catalog.Current.ByName.ContainsKey("next"), "the changed object to load", Deadline);
        Assert.False(server.Catalog.Current.ByName.ContainsKey("hello"));
        var good = server.Catalog.Current.PluginsByName["swap"].Hash;

        await s3.Server.PutAsync(bucket, "plugins/swap.wasm", "this is not wasm"u8.ToArray());
        var reloader = server.Services.GetRequiredService<PluginReloader>();
        await Eventually.TrueAsync(() => reloader.Status.Any(s => s.State == PluginSourceStatus.Refused), "the broken version to be refused", Deadline);
        Assert.Contains("not a WebAssembly module", reloader.Status.Single().Error);
        Assert.Equal(good, server.Catalog.Current.PluginsByName["swap"].Hash);
        var (response, body) = await server.PostJsonAsync("/functions/next", "{}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(1, body.GetProperty("result").GetInt32());
    }

    [Fact]
    public async Task InFlightCall_FinishesOnItsVersion_WhenTheObjectChanges()
    {
        var bucket = await s3.NewBucketAsync();
        await s3.Server.PutFileAsync(bucket, "slow.wasm", TestGuests.Wasm("loop"));
        await s3.Server.PutAsync(bucket, "slow.wafer.json", """{"name":"slow","limits":{"timeoutMs":1500}}"""u8.ToArray());
        await using var server = await StartAsync(bucket, prefix: null);
        Assert.Equal(1500, server.Catalog.Current.PluginsByName["slow"].Manifest.Limits.TimeoutMs); // the manifest beside the module came too

        var inFlight = server.PostJsonAsync("/functions/spin", "{}");
        var calls = server.Services.GetRequiredService<Wafer.Runtime.Invocation.CallCounters>();
        await Eventually.TrueAsync(() => calls.InFlight == 1, "the call to start on the first version", Deadline);
        await s3.Server.PutFileAsync(bucket, "slow.wasm", TestGuests.Wasm("echo"));
        await Eventually.TrueAsync(() => server.Catalog.Current.ByName.ContainsKey("hello"), "the replacement", Deadline);

        var (response, body) = await inFlight;
        Assert.Equal(HttpStatusCode.GatewayTimeout, response.StatusCode); // ended by its own version's time limit
        Assert.Equal("slow/spin", body.GetProperty("function").GetString());
    }

    [Fact]
    public async Task DotEnvOfTheFolder_GivesItsSecrets_AndGoesWhenDeleted()
    {
        var bucket = await s3.NewBucketAsync();
        await s3.Server.PutFileAsync(bucket, "apps/echo.wasm", TestGuests.Wasm("echo"));
        await s3.Server.PutAsync(bucket, "apps/.env", "WAFER_BUCKET_SECRET=from-the-bucket\n"u8.ToArray());
        await s3.Server.PutAsync(bucket, "apps/nested/.env", "WAFER_NESTED_SECRET=ignored\n"u8.ToArray());
        await using var server = await StartAsync(bucket, "apps");
        var secrets = server.Services.GetRequiredService<Wafer.Runtime.Capabilities.Secrets.SecretStore>();

        Assert.Equal("from-the-bucket", secrets.Get("WAFER_BUCKET_SECRET"));
        Assert.Null(secrets.Get("WAFER_NESTED_SECRET")); // only the folder's own .env, as Hypermode and Modus read it

        await s3.Server.DeleteAsync(bucket, "apps/.env");
        await Eventually.TrueAsync(() => secrets.Get("WAFER_BUCKET_SECRET") is null, "the deleted .env to stop giving its secret", Deadline);
    }

    [Fact]
    public async Task DeletedObject_Unloads()
    {
        var bucket = await s3.NewBucketAsync();
        await s3.Server.PutFileAsync(bucket, "echo.wasm", TestGuests.Wasm("echo"));
        await s3.Server.PutFileAsync(bucket, "counter.wasm", TestGuests.Wasm("counter"));
        await using var server = await StartAsync(bucket, prefix: null);
        Assert.Equal(2, server.Catalog.Current.Plugins.Count);

        await s3.Server.DeleteAsync(bucket, "echo.wasm");
        await Eventually.TrueAsync(() => !server.Catalog.Current.PluginsByName.ContainsKey("echo"), "echo to unload", Deadline);
        Assert.Equal(HttpStatusCode.NotFound, (await server.PostJsonAsync("/functions/hello", "{}")).Response.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await server.PostJsonAsync("/functions/next", "{}")).Response.StatusCode);
        Assert.False(File.Exists(Path.Combine(server.PluginsPath, "echo.wasm")));
    }

    [Fact]
    public async Task Outage_KeepsServing_LogsOnce_AndRecovers()
    {
        var bucket = await s3.NewBucketAsync();
        await s3.Server.PutFileAsync(bucket, "echo.wasm", TestGuests.Wasm("echo"));
        var log = new CapturingLoggerProvider();
        await using var server = await StartAsync(bucket, prefix: null, log: log);
        var mirror = server.Services.GetRequiredService<S3PluginMirror>();

        await s3.Server.StopAsync();
        try
        {
            await Eventually.TrueAsync(() => mirror.Unreachable, "the outage to be noticed", Deadline);
            var polls = mirror.Polls;
            await Eventually.TrueAsync(() => mirror.Polls >= polls + 3, "three more polls during the outage", Deadline);

            Assert.Single(log.Lines, l => l.Contains("[S3Unreachable]", StringComparison.Ordinal));
            Assert.Contains(log.Lines, l => l.Contains("[S3Unreachable]", StringComparison.Ordinal) && l.Contains($"s3://{bucket}/", StringComparison.Ordinal));
            var (response, body) = await server.PostJsonAsync("/functions/hello", "{}");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode); // nothing unloads while S3 cannot be read
            Assert.Equal("hello", body.GetProperty("result").GetString());
        }
        finally
        {
            await s3.Server.StartAsync();
        }

        await s3.Server.PutFileAsync(bucket, "counter.wasm", TestGuests.Wasm("counter"));
        await Eventually.TrueAsync(() => server.Catalog.Current.ByName.ContainsKey("next"), "a plugin added after the outage", Deadline);
        Assert.False(mirror.Unreachable);
        Assert.Single(log.Lines, l => l.Contains("[S3Reachable]", StringComparison.Ordinal));
        Assert.Single(log.Lines, l => l.Contains("[S3Unreachable]", StringComparison.Ordinal));
        Assert.True(server.Catalog.Current.ByName.ContainsKey("hello"));
    }

    [Fact]
    public async Task UnreachableAtStart_StartsAndLoadsOnceItRecovers()
    {
        var bucket = await s3.NewBucketAsync();
        await s3.Server.PutFileAsync(bucket, "echo.wasm", TestGuests.Wasm("echo"));
        await s3.Server.StopAsync();
        RuntimeServer server;
        try
        {
            server = await StartAsync(bucket, prefix: null);
            Assert.True(server.Services.GetRequiredService<S3PluginMirror>().Unreachable);
            Assert.Empty(server.Catalog.Current.Plugins);
        }
        finally
        {
            await s3.Server.StartAsync();
        }

        await using (server)
        {
            await Eventually.TrueAsync(() => server.Catalog.Current.ByName.ContainsKey("hello"), "echo once S3 is back", Deadline);
        }
    }

    [Fact]
    public async Task UnsafeKeys_AreNeverWrittenOutsideTheFolder()
    {
        var bucket = await s3.NewBucketAsync();
        await s3.Server.PutFileAsync(bucket, "p/../escape.wasm", TestGuests.Wasm("echo"));
        await s3.Server.PutFileAsync(bucket, "p/.hidden/x.wasm", TestGuests.Wasm("echo"));
        await s3.Server.PutFileAsync(bucket, "p/ok.wasm", TestGuests.Wasm("echo"));
        await using var server = await StartAsync(bucket, "p");

        Assert.Equal(["ok"], server.Catalog.Current.Plugins.Select(p => p.Name));
        Assert.False(File.Exists(Path.Combine(Path.GetDirectoryName(server.PluginsPath)!, "escape.wasm")));
    }

    private async Task<RuntimeServer> StartAsync(string bucket, string? prefix, int pageSize = S3PluginOptions.DefaultPageSize, CapturingLoggerProvider? log = null) =>
        await RuntimeServer.StartAsync([], o =>
        {
            o.S3Plugins = new S3PluginOptions { Location = S3Location.TryCreate(bucket, prefix, "--s3bucket", "--plugins", out _)!, PageSize = pageSize, RequestTimeout = TimeSpan.FromSeconds(5) };
            o.Refresh = TimeSpan.FromMilliseconds(200);
        }, services: services =>
        {
            if (log is not null)
            {
                services.AddSingleton<ILoggerProvider>(log);
                services.Configure<LoggerFilterOptions>(o => o.Rules.Insert(0, new LoggerFilterRule(typeof(CapturingLoggerProvider).FullName, null, LogLevel.Trace, null)));
            }
        });
}
