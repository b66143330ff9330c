using GraphQL;

namespace Wafer.GraphQL.Limits;

/// <summary>Keeps a response's error list to <see cref="GraphQLOptions.MaxErrors"/>: the rest become one last error that counts them.</summary>
internal static class ErrorLimit
{
    public const string Code = "too_many_errors";

    public static void Apply(ExecutionResult result, int maxErrors)
    {
        if (result.Errors is not { } errors || errors.Count <= maxErrors)
        {
            return;
        }

        var kept = new ExecutionErrors();
        for (var i = 0; i < maxErrors - 1; i++)
        {
            kept.Add(errors[i]);
        }

        var left = errors.Count - kept.Count;
        kept.Add(new ExecutionError($"{left} more errors are left out: a response carries at most {maxErrors}.") { Code = Code });
        result.Errors = kept;
    }
}
