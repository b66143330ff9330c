namespace Wafer.Runtime.Agent;

/// <summary>A <c>create_module</c> could not be carried out; the message is the reason sent in <c>module_failed</c>.</summary>
internal sealed class ModuleRefusedException(string reason, Exception? inner = null) : Exception(reason, inner);
