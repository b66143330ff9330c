using System.Buffers;
using System.Text.Json;
using Wafer.Protocol.Calls;
using Wafer.Protocol.Modus;
using Wafer.Runtime.Modus.Codec;
using Wafer.Runtime.Modus.Host;
using Wafer.Wasm;
using Wafer.Wasm.Abi;

namespace Wafer.Runtime.Modus;

/// <summary>
/// Modus's AssemblyScript calling convention for one module (docs/modus.md, "How a call runs"): arguments are
/// written into guest memory as AssemblyScript objects by the metadata's types, pinned until the export returns;
/// <c>__setArgumentsLength</c> is called when a function has optional parameters; the result is read back as
/// JSON. Host imports are decoded and encoded the same way through <see cref="ModusHostFunctions"/>. An abort
/// (<c>proc_exit(255)</c> after a <c>fatal</c> log line) ends the call as an abort with the guest's message.
/// </summary>
internal sealed class ModusAbi : IModuleAbi
{
    private readonly ModusApp _app;
    private readonly ModusFunctionModel _model;
    private readonly ModusExports _exports;
    private readonly AsLayouts _layouts;
    private readonly ModusHostFunctions _host;
    private readonly ModusEnvironment _environment;
    private readonly List<HostPlan> _imports = [];

    public ModusAbi(ModusApp app, ModusFunctionModel model, ModusHostFunctions host, ModusEnvironment environment)
    {
        _app = app;
        _model = model;
        _host = host;
        _environment = environment;
        _exports = new ModusExports(model, app.Metadata);
        _layouts = new AsLayouts(app.Metadata);
    }

    public IReadOnlyList<AbiFunction> Exports => _exports.All;

    internal ModusExports ExportIndexes => _exports;

    internal AsLayouts Layouts => _layouts;

    internal ModusApp App => _app;

    public int? Bind(AbiFunction import, out string? refusal)
    {
        var key = import.QualifiedName;
        var declared = _app.Metadata.Imports.FirstOrDefault(f => f.Name == key);
        if (declared is null)
        {
            refusal = "modus_metadata has no fnImports entry for it, so its values cannot be marshalled (rebuild with the Modus SDK 0.13 or later)";
            return null;
        }

        var expected = ModusExports.Signature(declared, optional: false);
        if (!expected.Parameters.SequenceEqual(import.Parameters) || !expected.Results.SequenceEqual(import.Results))
        {
            refusal = $"its signature {import.Signature} does not match its metadata types {expected.Signature}";
            return null;
        }

        if (key == ModusHostFunctions.LogMessage)
        {
            _imports.Add(new HostPlan(declared, null));
            refusal = null;
            return _imports.Count - 1;
        }

        if (_host.Find(key, _app, out refusal) is not { } function)
        {
            return null;
        }

        _imports.Add(new HostPlan(declared, function));
        return _imports.Count - 1;
    }

    public IEnumerable<KeyValuePair<string, string>> Environment(IGuestCallContext context) => _environment.For(context);

    public CallOutcome Invoke(int function, ReadOnlySpan<byte> argumentsJson, IGuestSession session)
    {
        using var document = JsonDocument.Parse(argumentsJson.ToArray());
        return Call(_model.Functions[function], function, document.RootElement, session);
    }

    /// <summary>Calls export <paramref name="export"/> (an index into <see cref="Exports"/>) with a JSON array of arguments.</summary>
    internal CallOutcome Call(ModusFunction target, int export, JsonElement arguments, IGuestSession session)
    {
        var heap = new GuestHeap(session, _exports);
        Span<WasmValue> values = stackalloc WasmValue[Math.Max(1, target.Parameters.Count)];
        try
        {
            {
                var writer = new AsWriter(heap, _layouts);
                for (var i = 0; i < target.Parameters.Count; i++)
                {
                    var parameter = target.Parameters[i];
                    var value = i < arguments.GetArrayLength() ? arguments[i] : default;
                    if (value.ValueKind is JsonValueKind.Null or JsonValueKind.Undefined && parameter.Default is { } fallback)
                    {
                        value = fallback;
                    }

                    try
                    {
                        values[i] = writer.Stack(parameter.Type, value);
                    }
                    catch (AsCodecException ex)
                    {
                        heap.UnpinAll();
                        return new CallOutcome(CallStatus.GuestError, null, $"argument '{parameter.Name}': {ex.Message}");
                    }
                }
            }

            if (target.Parameters.Any(p => p.HasDefault) && session.Has(_exports.SetArgumentsLength))
            {
                Span<WasmValue> length = [WasmValue.FromI32(target.Parameters.Count)];
                session.Call(_exports.SetArgumentsLength, length);
            }

            session.Call(export, values);
            var output = Result(target.Result, values[0], heap, out var error);
            heap.UnpinAll();
            return error is null
                ? new CallOutcome(CallStatus.Ok, output, null)
                : new CallOutcome(CallStatus.BadResult, null, error);
        }
        catch (AsCodecException ex)
        {
            return new CallOutcome(CallStatus.Trap, null, ex.Message);
        }
    }

    private byte[]? Result(AsType? type, WasmValue value, IAsMemory memory, out string? error)
    {
        error = null;
        if (type is null)
        {
            return "null"u8.ToArray();
        }

        var buffer = new ArrayBufferWriter<byte>(256);
        try
        {
            using var writer = new Utf8JsonWriter(buffer);
            new AsReader(memory, _layouts).Stack(writer, type, value);
            writer.Flush();
            return buffer.WrittenSpan.ToArray();
        }
        catch (AsCodecException ex)
        {
            error = ex.Message;
            return null;
        }
    }

    public void HostCall(int handler, IGuestSession session, ReadOnlySpan<WasmValue> arguments, Span<WasmValue> results)
    {
        var plan = _imports[handler];
        var heap = new GuestHeap(session, _exports);
        var state = ModusCallState.Of(session);
        JsonElement[] decoded;
        try
        {
            decoded = Arguments(plan.Declared, arguments, heap);
        }
        catch (AsCodecException ex)
        {
            throw session.Fail(CallStatus.Trap, $"{plan.Declared.Name}: the guest passed a bad argument: {ex.Message}");
        }

        if (plan.Function is null)
        {
            LogMessage(session, state, decoded);
            return;
        }

        byte[]? result;
        try
        {
            result = plan.Function(new ModusHostCall(plan.Declared.Name, _app, session.Context), decoded);
        }
        catch (ModusHostException ex)
        {
            // Logged once with why; the guest gets zero, as under Modus, and its SDK raises its own error.
            session.Context.Log(GuestLogLevel.Error, ex.Message);
            if (results.Length > 0)
            {
                results[0] = default;
            }

            heap.UnpinAll();
            return;
        }

        if (plan.Declared.Result is not { } type || results.Length == 0)
        {
            return;
        }

        try
        {
            using var document = result is null ? null : JsonDocument.Parse(result);
            results[0] = new AsWriter(heap, _layouts).Stack(type, document?.RootElement ?? default);
        }
        catch (AsCodecException ex)
        {
            // As under Modus: a result that cannot be written is logged and the guest gets zero (its SDK then throws).
            session.Context.Log(GuestLogLevel.Error, $"{plan.Declared.Name}: the result cannot be passed to the guest: {ex.Message}");
            results[0] = default;
        }

        heap.UnpinAll();
    }

    public (CallStatus Status, string Message) Exited(int code, IGuestSession session)
    {
        var state = ModusCallState.Of(session);
        return code switch
        {
            255 => (CallStatus.Abort, state.Fatal ?? "aborted (exit code 255)"),
            0 => (CallStatus.GuestError, "the guest exited (code 0) before it returned"),
            _ => (CallStatus.GuestError, state.Errors.Count > 0 ? string.Join("\n", state.Errors) : $"the guest exited with code {code}"),
        };
    }

    private JsonElement[] Arguments(ModusFunction declared, ReadOnlySpan<WasmValue> arguments, IAsMemory memory)
    {
        var buffer = new ArrayBufferWriter<byte>(128);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartArray();
            var reader = new AsReader(memory, _layouts);
            for (var i = 0; i < declared.Parameters.Count; i++)
            {
                reader.Stack(writer, declared.Parameters[i].Type, arguments[i]);
            }

            writer.WriteEndArray();
        }

        using var document = JsonDocument.Parse(buffer.WrittenMemory);
        return [.. document.RootElement.EnumerateArray().Select(e => e.Clone())];
    }

    /// <summary><c>modus_system.logMessage(level, message)</c>: the call's log, with Modus's levels mapped to Wafer's.</summary>
    private static void LogMessage(IGuestSession session, ModusCallState state, JsonElement[] arguments)
    {
        var level = arguments.Length > 0 && arguments[0].ValueKind == JsonValueKind.String ? arguments[0].GetString()! : "";
        var message = arguments.Length > 1 && arguments[1].ValueKind == JsonValueKind.String ? arguments[1].GetString()! : "";
        if (message.Length > 16 * 1024)
        {
            message = message[..(16 * 1024)];
        }

        var mapped = level switch
        {
            "debug" or "trace" => GuestLogLevel.Debug,
            "warning" or "warn" => GuestLogLevel.Warning,
            "error" or "fatal" => GuestLogLevel.Error,
            _ => GuestLogLevel.Info,
        };
        if (level == "fatal")
        {
            state.Fatal = message;
        }
        else if (level == "error")
        {
            state.Errors.Add(message);
        }

        session.Context.Log(mapped, message);
    }

    private sealed record HostPlan(ModusFunction Declared, ModusHostFunction? Function);
}
