using Wafer.Protocol.V1;
using Wafer.Runtime.Programs;

namespace Wafer.Runtime.Agent;

/// <summary>Program modules (docs/silverline.md): their runs reported to the orchestrator, and run again after a restart.</summary>
public sealed partial class RuntimeAgent
{
    /// <summary>
    /// The programs of the modules restored from storage run again as their restart policy says: <c>always</c> and
    /// <c>on-failure</c> start again (the run the stop interrupted did not end by itself), <c>never</c> is reported
    /// <c>lost</c>, and a program that had ended for good stays ended. Reports wait in the outbox until the broker is
    /// reached.
    /// </summary>
    private void RunRestoredPrograms()
    {
        foreach (var module in _restored)
        {
            if (module.Program is not { } program || module.Ended)
            {
                continue;
            }

            if (program.Restart == RestartPolicy.Never)
            {
                _modules.ProgramEnded(module.ModuleId);
                ProgramLost(_logger, module.ModuleId);
                _ = PublishEventAsync(MessageTypes.ModuleExited, new ModuleExitedBody(
                    module.ModuleId, null, ProgramRunner.Lost, "the runtime stopped while the program ran; its restart policy is never", "", "", 0, false));
                continue;
            }

            ProgramRestored(_logger, module.ModuleId, program.Restart);
            _programs.Start(module.ModuleId, module.Plugin, program, ProgramReports(module.ModuleId));
        }

        _restored = [];
    }

    private ProgramReports ProgramReports(string moduleId) => new(
        started => PublishEventAsync(MessageTypes.ModuleStarted, started),
        async exited =>
        {
            if (!exited.Restarting)
            {
                _modules.ProgramEnded(moduleId);
            }

            await PublishEventAsync(MessageTypes.ModuleExited, exited);
        });
}
