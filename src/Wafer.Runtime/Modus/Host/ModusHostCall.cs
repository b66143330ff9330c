using Wafer.Runtime.Capabilities;
using Wafer.Runtime.Invocation;
using Wafer.Wasm;

namespace Wafer.Runtime.Modus.Host;

/// <summary>What a Modus host function needs of the call it serves: the app, the call's capabilities and log.</summary>
public sealed class ModusHostCall(string function, ModusApp app, IGuestCallContext context)
{
    /// <summary>The host function's <c>module.name</c>.</summary>
    public string Function => function;

    public ModusApp App => app;

    public IGuestCallContext Context => context;

    /// <summary>The call as the capabilities see it: plugin, manifest, deadline, secrets used so far.</summary>
    public CapabilityCall Capabilities => context is GuestCallContext guest
        ? guest.Capabilities
        : throw new ModusHostException($"{function}: host capabilities are not available to this call");

    public CapabilityDispatcher Dispatcher => context is GuestCallContext guest
        ? guest.Dispatcher
        : throw new ModusHostException($"{function}: host capabilities are not available to this call");

    public void Log(GuestLogLevel level, string message) => context.Log(level, message);
}
