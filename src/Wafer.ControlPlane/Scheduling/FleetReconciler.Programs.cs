using Microsoft.Extensions.Logging;
using Wafer.ControlPlane.Fleet;
using Wafer.Protocol.V1;

namespace Wafer.ControlPlane.Scheduling;

// Program modules (docs/silverline.md): their state as their runs start and end.
internal sealed partial class FleetReconciler
{
    private Task OnModuleStarted(RuntimeMessage message, ModuleStartedBody body)
    {
        if (ProgramOn(message.RuntimeId, body.ModuleId) is not var (module, deployment, program) || program.Status is { IsFinal: true })
        {
            return Task.CompletedTask;
        }

        SaveProgramStatus(deployment, program,
            new ProgramStatus(ProgramStatus.Running, module.RuntimeId, body.Run, null, null, null, null, Now));
        return Task.CompletedTask;
    }

    /// <summary>
    /// A program's run ended: its module's reason says how (exit code and state, or why it failed, and whether it
    /// restarts), and its state becomes <c>restarting</c> or, for good, <c>exited</c> (<c>lost</c> when a restarted runtime
    /// found it interrupted). A program that ended for good is then removed from its runtime; its state stays.
    /// </summary>
    private Task OnModuleExited(RuntimeMessage message, ModuleExitedBody body)
    {
        if (ProgramOn(message.RuntimeId, body.ModuleId) is not var (module, deployment, program) || module.Status != ModuleStatus.Running)
        {
            return Task.CompletedTask; // not ours, another runtime's, or already being deleted
        }

        var how = body.State == "exited" ? $"exited with code {body.ExitCode}" : $"ended {body.State}: {body.Reason}";
        var reason = $"run {body.Run} {how}" + (body.Restarting ? "; restarting" : "");
        LogProgramExited(body.ModuleId, message.RuntimeId, reason);
        SaveModule(module with { Reason = reason, UpdatedAt = Now });
        var state = body.Restarting ? ProgramStatus.Restarting : body.State == ProgramStatus.Lost ? ProgramStatus.Lost : ProgramStatus.Exited;
        SaveProgramStatus(deployment, program,
            new ProgramStatus(state, module.RuntimeId, body.Run, body.ExitCode, body.State, body.Reason, body.Restarting ? body.RestartAt : null, Now));
        return Task.CompletedTask;
    }

    /// <summary>The scheduler's word that a program ended for good without finishing (its runtime lost, or drained).</summary>
    private void MarkProgramEnded(EndProgram end)
    {
        if (!_fleet.Deployments.TryGetValue(end.Deployment, out var deployment) || deployment.Program is not { } program || program.Status is { IsFinal: true })
        {
            return;
        }

        LogProgramEnded(end.Deployment, end.State, end.Reason);
        var last = program.Status;
        var runtimeId = _fleet.Modules.GetValueOrDefault(end.Deployment)?.RuntimeId ?? last?.RuntimeId ?? "";
        SaveProgramStatus(deployment, program,
            new ProgramStatus(end.State, runtimeId, last?.Run ?? 0, null, end.Ended, end.Reason, null, Now));
        // No runtime reports this end (its runtime is gone, or stopped it for a drain): clients hear it from here.
        _outbox.Add(new OutgoingCommand(null, null, new ModuleExitedBody(end.Deployment, null, end.State, end.Reason, "", "", last?.Run ?? 0, Restarting: false)));
    }

    private (PlacedModule Module, Deployment Deployment, ProgramSpec Program)? ProgramOn(string runtimeId, string moduleId) =>
        _fleet.Modules.TryGetValue(moduleId, out var module) && module.RuntimeId == runtimeId
        && _fleet.Deployments.TryGetValue(module.Deployment, out var deployment) && deployment.Program is { } program
            ? (module, deployment, program)
            : null;

    private void SaveProgramStatus(Deployment deployment, ProgramSpec program, ProgramStatus status)
    {
        var updated = deployment with { Program = program with { Status = status } };
        _changes.Save(updated);
        _fleet = _fleet with { Deployments = _fleet.Deployments.SetItem(updated.Name, updated) };
        Touch(deployment.Name);
    }

    [LoggerMessage(EventId = 5380, EventName = "ProgramModuleExited", Level = LogLevel.Information,
        Message = "Program module {ModuleId} on runtime {RuntimeId}: {Reason}")]
    private partial void LogProgramExited(string moduleId, string runtimeId, string reason);

    [LoggerMessage(EventId = 5381, EventName = "ProgramModuleEnded", Level = LogLevel.Warning,
        Message = "Program module {ModuleId} is {State}: {Reason}")]
    private partial void LogProgramEnded(string moduleId, string state, string reason);
}
