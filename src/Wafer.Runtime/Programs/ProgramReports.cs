using Wafer.Protocol.V1;

namespace Wafer.Runtime.Programs;

/// <summary>Where a program module's runs are reported: each start, and each end with whether it runs again.</summary>
public sealed record ProgramReports(Func<ModuleStartedBody, Task> Started, Func<ModuleExitedBody, Task> Exited);
