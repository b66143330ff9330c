using GraphQL;
using GraphQL.Resolvers;

namespace Wafer.GraphQL;

/// <summary>Resolves a field of a class-typed value by reading its key from the dictionary the result became.</summary>
internal sealed class DictionaryFieldResolver(string key) : IFieldResolver
{
    public ValueTask<object?> ResolveAsync(IResolveFieldContext context) =>
        ValueTask.FromResult(context.Source is Dictionary<string, object?> fields && fields.TryGetValue(key, out var value) ? value : null);
}
