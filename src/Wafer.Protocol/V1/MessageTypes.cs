namespace Wafer.Protocol.V1;

/// <summary>The <c>type</c> values of protocol version 1 and the channel each belongs to.</summary>
public static class MessageTypes
{
    public const string Announce = "announce";
    public const string Status = "status";
    public const string Keepalive = "keepalive";
    public const string ModuleRunning = "module_running";
    public const string ModuleFailed = "module_failed";
    public const string ModuleDeleted = "module_deleted";
    public const string JobExited = "job_exited";
    public const string ModuleExited = "module_exited";
    public const string ModuleStarted = "module_started";
    public const string Error = "error";
    public const string Fatal = "fatal";
    public const string CreateModule = "create_module";
    public const string DeleteModule = "delete_module";
    public const string Drain = "drain";
    public const string Shutdown = "shutdown";
    public const string OrchestratorStatus = "orchestrator_status";

    /// <summary>The message types allowed on each runtime channel (the last topic segment).</summary>
    public static readonly IReadOnlyDictionary<string, string[]> ByChannel = new Dictionary<string, string[]>
    {
        ["announce"] = [Announce],
        ["status"] = [Status],
        ["keepalive"] = [Keepalive],
        ["events"] = [ModuleRunning, ModuleFailed, ModuleDeleted, JobExited, ModuleExited, ModuleStarted, Error, Fatal],
        ["commands"] = [CreateModule, DeleteModule, Drain, Shutdown],
    };

    /// <summary>The body type of each message type.</summary>
    public static readonly IReadOnlyDictionary<string, Type> BodyTypes = new Dictionary<string, Type>
    {
        [Announce] = typeof(AnnounceBody),
        [Status] = typeof(StatusBody),
        [Keepalive] = typeof(KeepaliveBody),
        [ModuleRunning] = typeof(ModuleRunningBody),
        [ModuleFailed] = typeof(ModuleFailedBody),
        [ModuleDeleted] = typeof(ModuleDeletedBody),
        [JobExited] = typeof(JobExitedBody),
        [ModuleExited] = typeof(ModuleExitedBody),
        [ModuleStarted] = typeof(ModuleStartedBody),
        [Error] = typeof(ErrorBody),
        [Fatal] = typeof(FatalBody),
        [CreateModule] = typeof(CreateModuleBody),
        [DeleteModule] = typeof(DeleteModuleBody),
        [Drain] = typeof(DrainBody),
        [Shutdown] = typeof(ShutdownBody),
        [OrchestratorStatus] = typeof(OrchestratorStatusBody),
    };
}
