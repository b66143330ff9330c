using Microsoft.Extensions.Logging;

namespace Wafer.ControlPlane.Scheduling;

// Log events of the reconciler: band 5100-5199.
internal sealed partial class FleetReconciler
{
    [LoggerMessage(EventId = 5100, EventName = "FleetRecovered", Level = LogLevel.Information,
        Message = "Recovered {Deployments} deployment(s), {Runtimes} runtime(s) and {Modules} module(s) from the store")]
    private partial void LogRecovered(int deployments, int runtimes, int modules);

    [LoggerMessage(EventId = 5101, EventName = "FleetEventFailed", Level = LogLevel.Error, Message = "Handling {Event} failed; state is unchanged")]
    private partial void LogEventFailed(string @event, Exception exception);

    [LoggerMessage(EventId = 5102, EventName = "RuntimeAnnounced", Level = LogLevel.Information,
        Message = "Runtime {Name} ({RuntimeId}) announced at {Url} with {Modules} module(s) (retained: {Retained})")]
    private partial void LogAnnounced(string name, string runtimeId, string url, int modules, bool retained);

    [LoggerMessage(EventId = 5103, EventName = "RuntimeStateChanged", Level = LogLevel.Information,
        Message = "Runtime {Name} ({RuntimeId}) is {State} (retained: {Retained})")]
    private partial void LogRuntimeState(string name, string runtimeId, string state, bool retained);

    [LoggerMessage(EventId = 5105, EventName = "ModulePlaced", Level = LogLevel.Information,
        Message = "Placing module {ModuleId} of {Deployment} on runtime {Runtime} ({RuntimeId})")]
    private partial void LogPlaced(string moduleId, string deployment, string runtime, string runtimeId);

    [LoggerMessage(EventId = 5106, EventName = "ModuleRemoving", Level = LogLevel.Information,
        Message = "Deleting module {ModuleId} of {Deployment} from runtime {Runtime}: {Reason}")]
    private partial void LogRemoving(string moduleId, string deployment, string runtime, string reason);

    [LoggerMessage(EventId = 5107, EventName = "ModuleForgotten", Level = LogLevel.Information,
        Message = "Forgetting module {ModuleId} of {Deployment}: {Reason}")]
    private partial void LogForgotten(string moduleId, string deployment, string reason);

    [LoggerMessage(EventId = 5108, EventName = "ModuleRunning", Level = LogLevel.Information,
        Message = "Module {ModuleId} of {Deployment} is running on runtime {Runtime}")]
    private partial void LogModuleRunning(string moduleId, string deployment, string runtime);

    [LoggerMessage(EventId = 5109, EventName = "ModuleFailed", Level = LogLevel.Warning,
        Message = "Module {ModuleId} of {Deployment} failed on runtime {RuntimeId}: {Reason}")]
    private partial void LogModuleFailed(string moduleId, string deployment, string runtimeId, string reason);

    [LoggerMessage(EventId = 5110, EventName = "ModuleAdopted", Level = LogLevel.Information,
        Message = "Adopted module {ModuleId} of {Deployment} that runtime {Runtime} already runs")]
    private partial void LogAdopted(string moduleId, string deployment, string runtime);

    [LoggerMessage(EventId = 5111, EventName = "ShutdownGranted", Level = LogLevel.Information,
        Message = "Runtime {Name} ({RuntimeId}) is drained: granting shutdown")]
    private partial void LogShutdownGranted(string name, string runtimeId);

    [LoggerMessage(EventId = 5112, EventName = "CommandNotSent", Level = LogLevel.Warning,
        Message = "Could not send {Type} to runtime {RuntimeId} now (broker unavailable); it is resent on reconnect or retried")]
    private partial void LogCommandNotSent(string type, string runtimeId);

    [LoggerMessage(EventId = 5113, EventName = "ReplicasUnplaced", Level = LogLevel.Warning, Message = "Deployment {Deployment}: {Reason}")]
    private partial void LogUnplaced(string deployment, string reason);

    [LoggerMessage(EventId = 5114, EventName = "RuntimeFatal", Level = LogLevel.Error, Message = "Runtime {RuntimeId} reported a fatal error: {Reason}")]
    private partial void LogFatal(string runtimeId, string reason);

    [LoggerMessage(EventId = 5115, EventName = "RuntimeRefusedCommand", Level = LogLevel.Warning,
        Message = "Runtime {RuntimeId} refused a message on {Topic}: {Reason}")]
    private partial void LogRuntimeRefused(string runtimeId, string topic, string reason);

    [LoggerMessage(EventId = 5116, EventName = "JobExited", Level = LogLevel.Information,
        Message = "Job {JobId} of {Plugin} on runtime {RuntimeId} {State} with exit code {ExitCode}")]
    private partial void LogJobExited(string jobId, string plugin, string runtimeId, string state, int? exitCode);

    [LoggerMessage(EventId = 5117, EventName = "DeploymentApplied", Level = LogLevel.Information,
        Message = "Deployment {Deployment} -> {Hash} x{Replicas} (new: {Created})")]
    private partial void LogDeploymentApplied(string deployment, string hash, int replicas, bool created);

    [LoggerMessage(EventId = 5118, EventName = "DeploymentRemoved", Level = LogLevel.Information, Message = "Deployment {Deployment} removed")]
    private partial void LogDeploymentRemoved(string deployment);

    [LoggerMessage(EventId = 5119, EventName = "DrainRequested", Level = LogLevel.Information, Message = "Draining runtime {Name} ({RuntimeId})")]
    private partial void LogDrainRequested(string name, string runtimeId);

    [LoggerMessage(EventId = 5120, EventName = "RuntimeControlLost", Level = LogLevel.Warning,
        Message = "Runtime {Name} ({RuntimeId}): {Why}; it stays in the routes, gets no new modules, and leaves if {Url}/healthz stops answering")]
    private partial void LogControlLost(string name, string runtimeId, string why, string url);

    [LoggerMessage(EventId = 5121, EventName = "RuntimeControlBack", Level = LogLevel.Information,
        Message = "Runtime {Name} ({RuntimeId}) is back on the control channel")]
    private partial void LogControlBack(string name, string runtimeId);

    [LoggerMessage(EventId = 5122, EventName = "RuntimeStillServing", Level = LogLevel.Information,
        Message = "Runtime {Name} ({RuntimeId}) is off the control channel but still serving ({Detail}): kept in the routes")]
    private partial void LogStillServing(string name, string runtimeId, string detail);

    [LoggerMessage(EventId = 5123, EventName = "RuntimeUnreachable", Level = LogLevel.Warning,
        Message = "Runtime {Name} ({RuntimeId}) is off the control channel and does not answer ({Detail}): taken for offline")]
    private partial void LogUnreachable(string name, string runtimeId, string detail);
}
