namespace Wafer.Runtime.Storage;

/// <summary>One model call made by a guest: what was asked, what came back, how long it took.</summary>
internal sealed record InferenceRecord(
    string Id,
    DateTimeOffset Time,
    string Plugin,
    string Function,
    string CallId,
    string Model,
    string ModelId,
    string Input,
    string? Output,
    double DurationMs,
    int? PromptTokens,
    int? CompletionTokens,
    string Status,
    string? Error);
