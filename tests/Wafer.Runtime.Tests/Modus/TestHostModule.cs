using Wafer.Runtime.Modus.Host;

namespace Wafer.Runtime.Tests.Modus;

/// <summary>
/// <c>modus_test</c>: the host functions Modus's own ABI tests register for its as-testdata module
/// (<c>add</c>, <c>echo</c>, <c>echoObject</c>), registered here the same way a deployment would add a host module.
/// </summary>
public sealed class TestHostModule : IModusHostModule
{
    public IReadOnlyDictionary<string, ModusHostFunction> Functions { get; } = new Dictionary<string, ModusHostFunction>
    {
        ["modus_test.add"] = (_, a) => JsonSerializer.SerializeToUtf8Bytes(a[0].GetInt32() + a[1].GetInt32()),
        ["modus_test.echo"] = (_, a) => JsonSerializer.SerializeToUtf8Bytes("echo: " + a[0].GetString()),
        ["modus_test.echoObject"] = (_, a) => JsonSerializer.SerializeToUtf8Bytes(new
        {
            a = a[0].GetProperty("a").GetInt32() + 1,
            b = !a[0].GetProperty("b").GetBoolean(),
            c = a[0].GetProperty("c").GetString() + "!",
        }),
    };
}
