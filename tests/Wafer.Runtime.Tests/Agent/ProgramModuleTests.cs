using Wafer.Protocol.V1;
using Wafer.Runtime.Tests.Support;

namespace Wafer.Runtime.Tests.Agent;

/// <summary>
/// A placed program module (docs/silverline.md) runs at once on the runtime, through the job runner, with its argv and
/// env; each run's end is reported as <c>module_exited</c> with its exit code and output, and its restart policy decides
/// whether it runs again. Real C guest (tests/guests/c/c-job.c), real runtime, broker and artifact server.
/// </summary>
public sealed class ProgramModuleTests
{
    // The orchestrator names a program module's manifest after the module (its deployment is named by the uuid).
    private const string Manifest = """{"name":"ID","type":"command","limits":{"timeoutMs":10000,"memoryMb":16}}""";

    private static async Task<string> PlaceAsync(AgentHarness fleet, string moduleId, ProgramBody program)
    {
        var (hash, url) = fleet.Artifacts.Add(File.ReadAllBytes(TestGuests.Wasm("c-job")));
        var body = new CreateModuleBody(moduleId, moduleId, hash, url, JsonDocument.Parse(Manifest.Replace("ID", moduleId, StringComparison.Ordinal)).RootElement.Clone(), null, program);
        var request = await fleet.Orchestrator.SendAsync(fleet.RuntimeId, MessageTypes.CreateModule, body);
        var answer = await fleet.AnswerAsync(request);
        Assert.True(answer.Type == MessageTypes.ModuleRunning, (answer.Message!.Body as ModuleFailedBody)?.Reason);
        return request;
    }

    private static Task<FakeOrchestrator.Received> ExitedAsync(AgentHarness fleet, string moduleId, int run) =>
        fleet.Orchestrator.WaitForAsync(fleet.RuntimeId, MessageTypes.ModuleExited,
            r => r.Body<ModuleExitedBody>() is { } b && b.ModuleId == moduleId && b.Run == run, TimeSpan.FromSeconds(60));

    [Fact]
    public async Task ProgramModule_RunsAtOnceWithItsArgvAndEnv_AndReportsItsExit()
    {
        await using var fleet = await AgentHarness.StartAsync();
        var id = Guid.NewGuid().ToString("D");

        await PlaceAsync(fleet, id, new ProgramBody(["env", "SEED", "MODE", "HOME"], ["SEED=7", "MODE=bench"], []));

        var exited = (await ExitedAsync(fleet, id, 1)).Body<ModuleExitedBody>();
        Assert.Equal(0, exited.ExitCode);
        Assert.Equal("exited", exited.State);
        Assert.Null(exited.Reason);
        Assert.Equal("environ=2\nSEED=7\nMODE=bench\nHOME=(unset)\n", exited.Stdout);
        Assert.False(exited.Restarting);
    }

    [Fact]
    public async Task OnFailure_AFailingRunStartsAgainAfterABackoff_NeverDoesNot()
    {
        await using var fleet = await AgentHarness.StartAsync();
        var (failing, once) = (Guid.NewGuid().ToString("D"), Guid.NewGuid().ToString("D"));

        await PlaceAsync(fleet, failing, new ProgramBody(["exit", "3"], [], [], RestartPolicy.OnFailure));
        await PlaceAsync(fleet, once, new ProgramBody(["exit", "3"], [], [], RestartPolicy.Never));

        var first = (await ExitedAsync(fleet, failing, 1)).Body<ModuleExitedBody>();
        var second = (await ExitedAsync(fleet, failing, 2)).Body<ModuleExitedBody>();
        Assert.Equal(3, first.ExitCode);
        Assert.True(first.Restarting);
        Assert.Equal(3, second.ExitCode);
        var onlyRun = (await ExitedAsync(fleet, once, 1)).Body<ModuleExitedBody>();
        Assert.Equal(3, onlyRun.ExitCode);
        Assert.False(onlyRun.Restarting);
        Assert.DoesNotContain(fleet.Orchestrator.All, r => r.Type == MessageTypes.ModuleExited && r.Body<ModuleExitedBody>() is { Run: 2 } b && b.ModuleId == once);
    }
}
