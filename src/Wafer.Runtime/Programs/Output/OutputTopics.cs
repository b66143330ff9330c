namespace Wafer.Runtime.Programs.Output;

/// <summary>
/// Where a running program module's output is published (docs/silverline.md, "Output"): <c>{realm}/module/{uuid}/stdout</c>
/// and <c>/stderr</c>, one message per line. User topics of the realm, as the module's channels are, so the runtime's
/// channel client may publish them and clients subscribe to them without any of Wafer's own rights.
/// </summary>
internal static class OutputTopics
{
    public static string Stdout(string realm, string moduleId) => $"{realm}/module/{moduleId}/stdout";

    public static string Stderr(string realm, string moduleId) => $"{realm}/module/{moduleId}/stderr";
}
