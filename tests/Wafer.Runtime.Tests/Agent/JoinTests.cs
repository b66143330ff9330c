using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Wafer.Protocol.V1;
using Wafer.Runtime.Agent;
using Wafer.Runtime.Tests.Support;
using Wafer.Tests.Shared;

namespace Wafer.Runtime.Tests.Agent;

/// <summary>Joining a fleet: announce, status, keepalive, identity and storage, credentials, stopping and fatal errors. (docs/protocol.md; an in-process broker and a fake orchestrator.)</summary>
public sealed class JoinTests
{
    [Fact]
    public async Task Join_PublishesRetainedOnlineStatusAndAnnounce()
    {
        await using var fleet = await AgentHarness.StartAsync();
        var id = fleet.RuntimeId;

        var status = await fleet.Orchestrator.WaitForAsync(id, MessageTypes.Status);
        Assert.Equal(StatusBody.Online, status.Body<StatusBody>().State);
        Assert.True(status.Retain);
        var announce = await fleet.Orchestrator.WaitForAsync(id, MessageTypes.Announce);
        Assert.True(announce.Retain);
        var body = announce.Body<AnnounceBody>();
        Assert.Equal("edge-1", body.Name);
        Assert.Equal("a", body.Labels["zone"]);
        Assert.Equal(fleet.Runtime.Client.BaseAddress!.GetLeftPart(UriPartial.Authority), body.Url);
        Assert.Equal(Environment.ProcessorCount, body.Capacity.Cores);
        Assert.True(body.Capacity.MemoryMb > 0);
        Assert.Equal(100, body.Capacity.MaxModules);
        Assert.Equal(["functions", "jobs", "http"], body.Kinds);
        Assert.Equal(1, body.KeepaliveSec);
        Assert.Empty(body.Modules);

        Assert.Equal(StatusBody.Online, ((StatusBody)(await fleet.Broker.RetainedAsync(Topics.Default.Status(id)))!.Body).State);
        Assert.NotNull(await fleet.Broker.RetainedAsync(Topics.Default.Announce(id)));
        Assert.Equal(id, File.ReadAllText(Path.Combine(fleet.StoragePath, "runtime-id")).Trim());
    }

    [Fact]
    public async Task Join_InAnotherRealm_PublishesUnderThatRealmOnly()
    {
        await using var fleet = await AgentHarness.StartAsync(realm: "lab");
        var id = fleet.RuntimeId;

        var announce = await fleet.Orchestrator.WaitForAsync(id, MessageTypes.Announce);

        Assert.Equal($"lab/wafer/v1/runtimes/{id}/announce", announce.Topic);
        Assert.Equal(StatusBody.Online, ((StatusBody)(await fleet.Broker.RetainedAsync($"lab/wafer/v1/runtimes/{id}/status"))!.Body).State);
        Assert.Null(await fleet.Broker.RetainedAsync(Topics.Default.Status(id)));
        Assert.Null(await fleet.Broker.RetainedAsync(Topics.Default.Announce(id)));
    }

    [Fact]
    public async Task Keepalive_ReportsLoadAndModuleStates()
    {
        await using var fleet = await AgentHarness.StartAsync();
        await fleet.RunAsync("m-1");
        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await fleet.Runtime.PostJsonAsync("/functions/hello", "")).Response.StatusCode);
        }

        var callsDone = DateTimeOffset.UtcNow;

        var keepalive = await fleet.Orchestrator.WaitForAsync(fleet.RuntimeId, MessageTypes.Keepalive,
            r => r.Body<KeepaliveBody>().Load.CallsPerSec > 0);
        var body = keepalive.Body<KeepaliveBody>();
        Assert.False(keepalive.Retain);
        Assert.Equal([new ModuleState("m-1", ModuleState.Running)], body.Modules);
        Assert.True(body.Load.MemoryMb > 0);
        Assert.InRange(body.Load.CpuPercent, 0, 100);
        // one sampled after the calls ended (the one above may have been sampled during the last of them); sentAt is
        // stamped after sampling, to the millisecond
        var after = await fleet.Orchestrator.WaitForAsync(fleet.RuntimeId, MessageTypes.Keepalive,
            r => r.Message!.SentAt >= callsDone.AddMilliseconds(1));
        Assert.Equal(0, after.Body<KeepaliveBody>().Load.InFlight);
    }

    [Fact]
    public async Task OrchestratorComingOnline_TriggersAnAnnounce()
    {
        await using var fleet = await AgentHarness.StartAsync();
        fleet.Orchestrator.Clear();

        await fleet.Orchestrator.PublishStatusAsync(OrchestratorStatusBody.Online);
        await fleet.Orchestrator.WaitForAsync(fleet.RuntimeId, MessageTypes.Announce);
        await fleet.Orchestrator.PublishStatusAsync(OrchestratorStatusBody.Offline);
        await fleet.Orchestrator.PublishStatusAsync(OrchestratorStatusBody.Online);

        await Eventually.TrueAsync(() => fleet.Orchestrator.All.Count(r => r.Type == MessageTypes.Announce) == 2, "a second announce",
            FakeOrchestrator.Deadline);
    }

    [Fact]
    public async Task Join_WithCredentialsInTheUrl_IsAccepted()
    {
        await using var fleet = await AgentHarness.StartAsync(o => o.Agent.Join = o.Agent.Join!.Replace("mqtt://", "mqtt://wafer:p%40ss@", StringComparison.Ordinal));
        fleet.Broker.Credentials = ("wafer", "p@ss");
        fleet.Orchestrator.Clear();

        await fleet.Broker.CutConnectionAsync(fleet.ClientId);

        await fleet.Orchestrator.WaitForAsync(fleet.RuntimeId, MessageTypes.Status, r => r.Body<StatusBody>().State == StatusBody.Online);
    }

    [Fact]
    public async Task SecondRuntime_OnTheSameStoragePath_RefusesToStart()
    {
        await using var fleet = await AgentHarness.StartAsync();

        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            RuntimeServer.StartAsync([], o => o.Agent.Join = fleet.Broker.Url, fleet.StoragePath));

        Assert.Contains("another runtime is using the storage path", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Restart_ServesStoredModulesUnderTheSameIdAndAnnouncesThem()
    {
        await using var fleet = await AgentHarness.StartAsync();
        var hash = await fleet.RunAsync("m-1");
        var id = fleet.RuntimeId;
        var fetches = fleet.Artifacts.Authorizations.Count;

        await fleet.StopRuntimeAsync();
        fleet.Orchestrator.Clear();
        await fleet.StartRuntimeAsync();

        Assert.Equal(id, fleet.RuntimeId);
        var announce = await fleet.Orchestrator.WaitForAsync(id, MessageTypes.Announce, r => r.Body<AnnounceBody>().Modules.Count > 0);
        Assert.Equal([new ModuleReport("m-1", "echo", hash, ModuleState.Running)], announce.Body<AnnounceBody>().Modules);
        Assert.Equal(HttpStatusCode.OK, (await fleet.Runtime.PostJsonAsync("/functions/hello", "")).Response.StatusCode);
        Assert.Equal(fetches, fleet.Artifacts.Authorizations.Count);
    }

    [Fact]
    public async Task CleanStop_PublishesOfflineItself()
    {
        await using var fleet = await AgentHarness.StartAsync();
        var id = fleet.RuntimeId;

        await fleet.StopRuntimeAsync();

        Assert.Equal(StatusBody.Offline, ((StatusBody)(await fleet.Broker.RetainedAsync(Topics.Default.Status(id)))!.Body).State);
        Assert.DoesNotContain(fleet.Orchestrator.All, r => r.Type == MessageTypes.Fatal);
        await fleet.StartRuntimeAsync();
    }

    [Fact]
    public async Task Shutdown_PublishesOfflineAndStopsTheRuntime()
    {
        await using var fleet = await AgentHarness.StartAsync();

        await fleet.Orchestrator.SendAsync(fleet.RuntimeId, MessageTypes.Shutdown, new ShutdownBody("drained"));

        await fleet.Orchestrator.WaitForAsync(fleet.RuntimeId, MessageTypes.Status, r => r.Body<StatusBody>().State == StatusBody.Offline);
        await Eventually.TrueAsync(() => fleet.Lifetime.ApplicationStopping.IsCancellationRequested, "the host to stop", FakeOrchestrator.Deadline);
        Assert.Equal(StatusBody.Offline, ((StatusBody)(await fleet.Broker.RetainedAsync(Topics.Default.Status(fleet.RuntimeId)))!.Body).State);
        Assert.False(fleet.Agent.IsConnected);
    }

    [Fact]
    public async Task FailingBackgroundService_IsReportedAsFatal()
    {
        await using var fleet = await AgentHarness.StartAsync(services: s => s.AddHostedService<FailingService>());

        var fatal = await fleet.Orchestrator.WaitForAsync(fleet.RuntimeId, MessageTypes.Fatal);

        Assert.Equal(new FatalBody(fleet.RuntimeId, "FailingService failed: disk on fire"), fatal.Body<FatalBody>());
    }

    [Fact]
    public async Task Join_AnnouncesWhileTheWarmUpIsStillUnderWay()
    {
        var held = new HeldHealthChecks();
        await using var fleet = await AgentHarness.StartAsync(services: s => s.AddSingleton<IStartupFilter>(held));

        // the harness has seen the announce; the warm-up's first request reaches the server and is still held there
        await held.Arrived.Task.WaitAsync(FakeOrchestrator.Deadline);
        Assert.False(held.Aborted, "the warm-up gave up on its held request before the runtime announced");
        held.Release.TrySetResult();
    }

    /// <summary>Holds every <c>GET /healthz</c> (the warm-up's first request) until released or aborted.</summary>
    private sealed class HeldHealthChecks : IStartupFilter
    {
        public TaskCompletionSource Arrived { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Release { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public bool Aborted { get; private set; }

        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use(async (context, after) =>
            {
                if (context.Request.Path == "/healthz")
                {
                    Arrived.TrySetResult();
                    try
                    {
                        await Release.Task.WaitAsync(context.RequestAborted);
                    }
                    catch (OperationCanceledException)
                    {
                        Aborted = true;
                        throw;
                    }
                }

                await after(context);
            });
            next(app);
        };
    }

    /// <summary>Fails once the agent has joined (before that there is no broker to report to, only nothing to will).</summary>
    private sealed class FailingService(IServiceProvider services) : Microsoft.Extensions.Hosting.BackgroundService
    {
        protected override async Task ExecuteAsync(CancellationToken stoppingToken)
        {
            var agent = services.GetRequiredService<RuntimeAgent>();
            while (!agent.IsConnected)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(50), stoppingToken);
            }

            throw new InvalidOperationException("disk on fire");
        }
    }
}
