using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Wafer.Protocol.Manifest;
using Wafer.Runtime.Capabilities.Http;
using Wafer.Runtime.Capabilities.Secrets;
using Wafer.Runtime.Storage;

namespace Wafer.Runtime.Capabilities.Models;

/// <summary>
/// <c>models.invoke</c>: an OpenAI-compatible chat completion or embeddings request to a manifest model's
/// connection, with the model id set host-side. Every call, answered or failed, goes to the inference history.
/// </summary>
internal sealed class ModelsCapability(OutboundHttp http, ConnectionSecrets secrets, InferenceRecorder recorder) : IHostCapability
{
    public const string Operation = "models.invoke";
    public const string StatusOk = "ok";
    public const string StatusError = "error";

    private const int ErrorExcerptChars = 500;

    public IReadOnlyList<string> Operations { get; } = [Operation];

    public byte[] Invoke(string operation, JsonElement request, CapabilityCall call)
    {
        CapabilityRequest.OnlyFields(request, Operation, "model", "input");
        var name = CapabilityRequest.String(request, "model", Operation);
        var manifest = call.Plugin.Manifest;
        if (!manifest.Models.TryGetValue(name, out var model))
        {
            throw new CapabilityException(manifest.Models.Count == 0
                ? $"{Operation}: no model named '{name}' (the manifest declares no models)"
                : $"{Operation}: no model named '{name}' (declared: {string.Join(", ", manifest.Models.Keys)})");
        }

        if (CapabilityRequest.Optional(request, "input") is not { ValueKind: JsonValueKind.Object } input)
        {
            throw new CapabilityException($"{Operation}: \"input\" must be a JSON object: the OpenAI request body without \"model\"");
        }

        if (input.TryGetProperty("stream", out var stream) && stream.ValueKind == JsonValueKind.True)
        {
            throw new CapabilityException($"{Operation}: streaming responses are not supported; leave \"stream\" out");
        }

        var body = Body(input, model.Model);
        var started = Stopwatch.GetTimestamp();
        var time = DateTimeOffset.UtcNow;
        Answer answer;
        try
        {
            answer = Send(model, (HttpConnectionSpec)manifest.Connections[model.Connection], body, call);
        }
        catch (CapabilityException ex)
        {
            Record(call, model, time, started, body, null, StatusError, SecretScrubber.Scrub(ex.Message, call.Secrets));
            throw;
        }

        Record(call, model, time, started, body, answer.Text, answer.Failure is null ? StatusOk : StatusError, answer.Failure);
        return answer.Failure is null ? answer.Bytes : throw new CapabilityException(answer.Failure);
    }

    /// <summary>Posts the request and reads the answer; an answer that is not a JSON success carries a failure message.</summary>
    private Answer Send(ModelSpec model, HttpConnectionSpec connection, byte[] body, CapabilityCall call)
    {
        var baseUrl = HttpTarget.Resolve(connection, secrets, call, Operation).GetLeftPart(UriPartial.Path).TrimEnd('/');
        var endpoint = ConnectionQuery.Append(new Uri(baseUrl + (model.Kind == ModelSpec.Embeddings ? "/embeddings" : "/chat/completions")),
            secrets.FillEach(connection.QueryParameters, connection, call, Operation));
        var shown = connection.BaseUrl.TrimEnd('/') + (model.Kind == ModelSpec.Embeddings ? "/embeddings" : "/chat/completions");
        var headers = secrets.FillEach(connection.Headers, connection, call, Operation);
        using var budget = call.Budget(Operation, connection.TimeoutMs);
        using var message = new HttpRequestMessage(HttpMethod.Post, endpoint) { Content = new ByteArrayContent(body) };
        message.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        message.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        foreach (var (name, value) in headers)
        {
            message.Headers.Remove(name);
            if (!message.Headers.TryAddWithoutValidation(name, value))
            {
                message.Content.Headers.Remove(name);
                message.Content.Headers.TryAddWithoutValidation(name, value);
            }
        }

        using var response = http.Send(message, budget, Operation, shown);
        var answer = OutboundHttp.ReadBody(response, connection.MaxResponseBytes, budget, Operation, shown, $"connection '{connection.Name}' maxResponseBytes");
        if (call.Secrets.Count > 0)
        {
            answer = SecretScrubber.Scrub(answer, call.Secrets);
        }

        var text = Encoding.UTF8.GetString(answer);
        if (!response.IsSuccessStatusCode)
        {
            var excerpt = text.Length > ErrorExcerptChars ? text[..ErrorExcerptChars] + "…" : text;
            return new Answer(answer, text,
                $"{Operation}: model '{model.Name}' ({model.Model}) answered {(int)response.StatusCode} {response.ReasonPhrase}: {excerpt}");
        }

        try
        {
            using var _ = JsonDocument.Parse(answer);
        }
        catch (JsonException)
        {
            return new Answer(answer, text, $"{Operation}: model '{model.Name}' ({model.Model}) answered with something that is not JSON");
        }

        return new Answer(answer, text, null);
    }

    private sealed record Answer(byte[] Bytes, string Text, string? Failure);

    private static byte[] Body(JsonElement input, string modelId)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("model", modelId);
            foreach (var property in input.EnumerateObject())
            {
                if (property.Name != "model")
                {
                    property.WriteTo(writer);
                }
            }

            writer.WriteEndObject();
        }

        return buffer.ToArray();
    }

    private void Record(CapabilityCall call, ModelSpec model, DateTimeOffset time, long started, byte[] body, string? output, string status, string? error)
    {
        var (prompt, completion) = Usage(output);
        recorder.Record(new InferenceRecord(
            Id: Guid.CreateVersion7().ToString("N"),
            Time: time,
            Plugin: call.Plugin.Name,
            Function: call.Function.Name,
            CallId: call.CallId,
            Model: model.Name,
            ModelId: model.Model,
            Input: SecretScrubber.Scrub(Encoding.UTF8.GetString(body), call.Secrets),
            Output: output,
            DurationMs: Math.Round(Stopwatch.GetElapsedTime(started).TotalMilliseconds, 3),
            PromptTokens: prompt,
            CompletionTokens: completion,
            Status: status,
            Error: error));
    }

    /// <summary>Token counts from an OpenAI-style <c>usage</c> object, when the endpoint reports them.</summary>
    internal static (int? Prompt, int? Completion) Usage(string? output)
    {
        if (output is null)
        {
            return (null, null);
        }

        try
        {
            using var document = JsonDocument.Parse(output);
            if (document.RootElement.ValueKind != JsonValueKind.Object ||
                !document.RootElement.TryGetProperty("usage", out var usage) || usage.ValueKind != JsonValueKind.Object)
            {
                return (null, null);
            }

            return (Count(usage, "prompt_tokens") ?? Count(usage, "input_tokens"), Count(usage, "completion_tokens") ?? Count(usage, "output_tokens"));
        }
        catch (JsonException)
        {
            return (null, null);
        }
    }

    private static int? Count(JsonElement usage, string name) =>
        usage.TryGetProperty(name, out var value) && value.TryGetInt32(out var count) ? count : null;
}
