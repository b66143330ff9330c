namespace Wafer.GraphQL;

/// <summary>
/// Limits on what one GraphQL request may cost, shared by the runtime's and the gateway's <c>/graphql</c>
/// (docs/graphql.md, "Limits"). A request over a limit is refused before it runs, with one error whose
/// <c>extensions.code</c> names the limit.
/// </summary>
public sealed class GraphQLOptions
{
    /// <summary>Longest query document, in characters; checked before parsing. Code <c>query_too_long</c>.</summary>
    public int MaxQueryLength { get; set; } = 64 * 1024;

    /// <summary>Deepest field nesting of an operation, fragments expanded (introspection needs 15). Code <c>too_deep</c>.</summary>
    public int MaxDepth { get; set; } = 25;

    /// <summary>
    /// Most field selections in an operation or fragment, aliases included and fragments counted at each use.
    /// Code <c>too_many_fields</c>.
    /// </summary>
    public int MaxFields { get; set; } = 1000;

    /// <summary>Most fields on <c>Query</c> or <c>Mutation</c> in one operation: each is a function call. Code <c>too_many_root_fields</c>.</summary>
    public int MaxRootFields { get; set; } = 100;

    /// <summary>Most directives on one field, fragment or operation. Code <c>too_many_directives</c>.</summary>
    public int MaxDirectivesPerLocation { get; set; } = 10;

    /// <summary>
    /// Most pairs of same-named fields that validation must compare to check they can be merged (the one rule whose
    /// work grows with the square of the fields). Code <c>too_complex</c>.
    /// </summary>
    public int MaxFieldMergePairs { get; set; } = 5000;

    /// <summary>Most errors in one response; the rest are summed up in one last error with code <c>too_many_errors</c>.</summary>
    public int MaxErrors { get; set; } = 100;

    /// <summary>
    /// Most function fields of one query that run at the same time; mutations always run one after another.
    /// </summary>
    public int MaxParallelFields { get; set; } = 16;

    /// <summary>
    /// How long one request may take: fields that have not answered by then fail with code <c>deadline_exceeded</c>,
    /// and the response is sent with what did.
    /// </summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Most subscriptions (server-sent event streams) open at once on one endpoint; more are refused with 503.</summary>
    public int MaxOpenSubscriptions { get; set; } = 256;

    /// <summary>What is wrong with the settings, each naming the setting (<paramref name="prefix"/>: where they live); empty when valid.</summary>
    public IReadOnlyList<string> Validate(string prefix = "GraphQL")
    {
        var errors = new List<string>();
        AtLeast(errors, prefix, nameof(MaxQueryLength), MaxQueryLength, 256);
        AtLeast(errors, prefix, nameof(MaxDepth), MaxDepth, 2);
        AtLeast(errors, prefix, nameof(MaxFields), MaxFields, 1);
        AtLeast(errors, prefix, nameof(MaxRootFields), MaxRootFields, 1);
        AtLeast(errors, prefix, nameof(MaxDirectivesPerLocation), MaxDirectivesPerLocation, 1);
        AtLeast(errors, prefix, nameof(MaxFieldMergePairs), MaxFieldMergePairs, 0);
        AtLeast(errors, prefix, nameof(MaxErrors), MaxErrors, 1);
        AtLeast(errors, prefix, nameof(MaxParallelFields), MaxParallelFields, 1);
        AtLeast(errors, prefix, nameof(MaxOpenSubscriptions), MaxOpenSubscriptions, 0);
        if (RequestTimeout < TimeSpan.FromMilliseconds(100))
        {
            errors.Add($"{prefix}.{nameof(RequestTimeout)} must be at least 100ms, got {RequestTimeout}");
        }

        return errors;
    }

    private static void AtLeast(List<string> errors, string prefix, string name, int value, int minimum)
    {
        if (value < minimum)
        {
            errors.Add($"{prefix}.{name} must be at least {minimum}, got {value}");
        }
    }
}
