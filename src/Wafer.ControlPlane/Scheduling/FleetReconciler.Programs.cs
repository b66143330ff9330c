using Microsoft.Extensions.Logging;
using Wafer.ControlPlane.Fleet;
using Wafer.Protocol.V1;

namespace Wafer.ControlPlane.Scheduling;

// Program modules (docs/silverline.md): how their runs end.
public sealed partial class FleetReconciler
{
    /// <summary>
    /// A program's run ended: its module's reason says how (exit code and state, or why it failed, and whether it
    /// restarts). The module stays placed: with restart <c>never</c> it has ended and occupies its slot until deleted,
    /// as SilverLine keeps an exited module's row.
    /// </summary>
    private async Task OnModuleExitedAsync(RuntimeMessage message, ModuleExitedBody body, CancellationToken cancellationToken)
    {
        if (!_fleet.Modules.TryGetValue(body.ModuleId, out var module) || module.RuntimeId != message.RuntimeId
            || module.Status != ModuleStatus.Running)
        {
            return; // not ours, another runtime's, or already being deleted
        }

        var how = body.State == "exited" ? $"exited with code {body.ExitCode}" : $"ended {body.State}: {body.Reason}";
        var reason = $"run {body.Run} {how}" + (body.Restarting ? "; restarting" : "");
        LogProgramExited(body.ModuleId, message.RuntimeId, reason);
        await SaveModuleAsync(module with { Reason = reason, UpdatedAt = Now }, cancellationToken);
        _dirty = true;
    }

    [LoggerMessage(EventId = 5380, EventName = "ProgramModuleExited", Level = LogLevel.Information,
        Message = "Program module {ModuleId} on runtime {RuntimeId}: {Reason}")]
    private partial void LogProgramExited(string moduleId, string runtimeId, string reason);
}
