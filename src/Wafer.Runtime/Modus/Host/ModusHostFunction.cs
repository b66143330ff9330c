using System.Text.Json;

namespace Wafer.Runtime.Modus.Host;

/// <summary>
/// One Modus host function (<c>module.name</c>): gets its arguments decoded by the module's metadata types and
/// returns its result as UTF-8 JSON in the same form (null for void, or for a null result). An expected failure
/// throws <see cref="ModusHostException"/>: it is logged for the call and the guest gets a null result, as under Modus.
/// </summary>
public delegate byte[]? ModusHostFunction(ModusHostCall call, JsonElement[] arguments);

/// <summary>An expected failure of a Modus host function; the message goes to the call's log, never to the guest.</summary>
internal sealed class ModusHostException(string message) : Exception(message);
