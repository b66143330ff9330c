namespace Wafer.Runtime.Storage;

/// <summary>Filters and paging for the inference history, newest first.</summary>
internal sealed record InferenceQuery(
    string? Plugin = null,
    string? Function = null,
    string? Model = null,
    string? Status = null,
    DateTimeOffset? Since = null,
    int Offset = 0,
    int Limit = 50);
