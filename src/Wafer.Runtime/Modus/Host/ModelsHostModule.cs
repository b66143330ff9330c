using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Wafer.Protocol.Modus;
using Wafer.Runtime.Capabilities.Models;
using Wafer.Runtime.Capabilities.Secrets;
using Wafer.Runtime.Hosting;
using Wafer.Runtime.Storage;

namespace Wafer.Runtime.Modus.Host;

/// <summary>
/// <c>modus_models</c>: <c>getModelInfo(name)</c> gives the model's name and full name (its <c>sourceModel</c>);
/// <c>invokeModel(name, input)</c> POSTs the guest's JSON as is to the model's http connection (its base URL plus
/// the model's <c>path</c>, or its endpoint) and returns the answer. Every invocation, answered or failed, is
/// recorded in the inference history.
/// </summary>
internal sealed class ModelsHostModule(InferenceRecorder recorder, IOptions<RuntimeOptions> options) : IModusHostModule
{
    public IReadOnlyDictionary<string, ModusHostFunction> Functions => new Dictionary<string, ModusHostFunction>
    {
        ["modus_models.getModelInfo"] = GetModelInfo,
        ["modus_models.invokeModel"] = InvokeModel,
    };

    private static byte[]? GetModelInfo(ModusHostCall call, JsonElement[] arguments)
    {
        var model = Model(call, ModusJson.String(arguments, 0));
        return ModusJson.Write(writer =>
        {
            writer.WriteStartObject();
            writer.WriteString("name", model.Name);
            writer.WriteString("fullName", model.SourceModel ?? model.Name);
            writer.WriteEndObject();
        });
    }

    private byte[]? InvokeModel(ModusHostCall call, JsonElement[] arguments)
    {
        var model = Model(call, ModusJson.String(arguments, 0));
        var input = ModusJson.String(arguments, 1) ?? "";
        string url;
        if (model.Connection == HypermodeModels.Connection)
        {
            url = options.Value.ModelHost is { } modelHost
                ? HypermodeModels.Url(model, modelHost)
                : throw new ModusHostException(
                    $"{call.Function}: model '{model.Name}' uses Hypermode's hosted models (connection \"hypermode\"): start the runtime with --modelHost HOST to send it to http://{model.Name.ToLowerInvariant()}.HOST/{model.Name}:predict, or point it at an http connection in {ModusManifest.FileName}");
        }
        else
        {
            var connection = (ModusHttpConnection)call.App.Modus.Connections[model.Connection];
            url = connection.BaseUrl is { } baseUrl ? baseUrl.TrimEnd('/') + "/" + (model.Path ?? "").TrimStart('/') : connection.Endpoint!;
        }

        var started = Stopwatch.GetTimestamp();
        var time = DateTimeOffset.UtcNow;
        try
        {
            var response = HttpHostModule.Send(call, url, "POST", [("Content-Type", "application/json"), ("Accept", "application/json")],
                Convert.ToBase64String(Encoding.UTF8.GetBytes(input)));
            var status = response.GetProperty("status").GetInt32();
            var output = Encoding.UTF8.GetString(Convert.FromBase64String(response.GetProperty("body").GetString()!)).Replace("\0", "", StringComparison.Ordinal);
            var failure = status is >= 200 and < 300 ? null : $"{call.Function}: model '{model.Name}' answered {status}";
            Record(call, model, time, started, input, output, failure);
            if (failure is not null)
            {
                call.Log(Wasm.GuestLogLevel.Error, failure);
            }

            return ModusJson.Of(output);
        }
        catch (ModusHostException ex)
        {
            Record(call, model, time, started, input, null, ex.Message);
            throw;
        }
    }

    private void Record(ModusHostCall call, ModusModel model, DateTimeOffset time, long started, string input, string? output, string? error)
    {
        var secrets = call.Capabilities.Secrets;
        var (prompt, completion) = ModelsCapability.Usage(output);
        recorder.Record(new InferenceRecord(
            Id: Guid.CreateVersion7().ToString("N"),
            Time: time,
            Plugin: call.Capabilities.Plugin.Name,
            Function: call.Capabilities.Function.Name,
            CallId: call.Capabilities.CallId,
            Model: model.Name,
            ModelId: model.SourceModel ?? model.Name,
            Input: SecretScrubber.Scrub(input, secrets),
            Output: output is null ? null : SecretScrubber.Scrub(output, secrets),
            DurationMs: Math.Round(Stopwatch.GetElapsedTime(started).TotalMilliseconds, 3),
            PromptTokens: prompt,
            CompletionTokens: completion,
            Status: error is null ? ModelsCapability.StatusOk : ModelsCapability.StatusError,
            Error: error is null ? null : SecretScrubber.Scrub(error, secrets)));
    }

    private static ModusModel Model(ModusHostCall call, string? name) =>
        name is not null && call.App.Modus.Models.TryGetValue(name, out var model)
            ? model
            : throw new ModusHostException(call.App.Modus.Models.Count == 0
                ? $"{call.Function}: no model named '{name}' ({ModusManifest.FileName} declares no models)"
                : $"{call.Function}: no model named '{name}' (declared: {string.Join(", ", call.App.Modus.Models.Keys)})");
}
