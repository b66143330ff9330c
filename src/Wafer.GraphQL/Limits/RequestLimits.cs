using GraphQL.Validation;
using GraphQLParser.AST;

namespace Wafer.GraphQL.Limits;

/// <summary>
/// Checks a parsed document against <see cref="GraphQLOptions"/> before any validation rule runs, in one walk whose
/// work is bounded by the limits themselves (it stops at the first one exceeded): depth, fields, root fields and
/// directives per place for every operation and fragment, fragments expanded at each use; and, over the whole
/// document, how many pairs of same-named fields in one merged selection set the overlapping-fields rule would
/// compare, the one rule whose work grows with the square of the fields.
/// </summary>
internal sealed class RequestLimits
{
    private readonly GraphQLDocument _document;
    private readonly GraphQLOptions _options;
    private readonly Dictionary<string, GraphQLFragmentDefinition> _fragments = new(StringComparer.Ordinal);
    private readonly HashSet<string> _expanding = new(StringComparer.Ordinal);
    private long _pairs;
    private int _fields;

    private RequestLimits(GraphQLDocument document, GraphQLOptions options)
    {
        _document = document;
        _options = options;
        foreach (var fragment in document.Definitions.OfType<GraphQLFragmentDefinition>())
        {
            _fragments.TryAdd(fragment.FragmentName.Name.StringValue, fragment); // duplicates: a validation error later
        }
    }

    /// <summary>The first limit the document exceeds, as a validation error with its code; null when it is within them all.</summary>
    public static ValidationError? Check(GraphQLDocument document, GraphQLOptions options)
    {
        ArgumentNullException.ThrowIfNull(document);
        ArgumentNullException.ThrowIfNull(options);
        try
        {
            new RequestLimits(document, options).CheckAll();
            return null;
        }
        catch (LimitExceeded exceeded)
        {
            return exceeded.Error;
        }
    }

    private void CheckAll()
    {
        foreach (var definition in _document.Definitions)
        {
            switch (definition)
            {
                case GraphQLOperationDefinition operation:
                    Directives(operation.Directives, operation, "the operation");
                    foreach (var variable in operation.Variables?.Items ?? [])
                    {
                        Directives(variable.Directives, variable, $"variable '${variable.Variable.Name.StringValue}'");
                    }

                    RootFields(operation);
                    Walk(operation.SelectionSet);
                    break;
                case GraphQLFragmentDefinition fragment:
                    Directives(fragment.Directives, fragment, $"fragment '{fragment.FragmentName.Name.StringValue}'");
                    _expanding.Add(fragment.FragmentName.Name.StringValue);
                    Walk(fragment.SelectionSet);
                    _expanding.Clear();
                    break;
            }
        }
    }

    /// <summary>Each root field of a query or mutation is a function call.</summary>
    private void RootFields(GraphQLOperationDefinition operation)
    {
        var count = 0;
        var expanding = new HashSet<string>(StringComparer.Ordinal);
        CountRoot(operation.SelectionSet, expanding, ref count);
        if (count > _options.MaxRootFields)
        {
            throw Exceeded(
                "too_many_root_fields",
                $"The operation selects more than {_options.MaxRootFields} root fields, each a function call; at most {_options.MaxRootFields} are allowed in one request.",
                operation);
        }
    }

    private void CountRoot(GraphQLSelectionSet set, HashSet<string> expanding, ref int count)
    {
        foreach (var selection in set.Selections)
        {
            switch (selection)
            {
                case GraphQLField:
                    count++;
                    break;
                case GraphQLInlineFragment inline:
                    CountRoot(inline.SelectionSet, expanding, ref count);
                    break;
                case GraphQLFragmentSpread spread when _fragments.TryGetValue(spread.FragmentName.Name.StringValue, out var fragment)
                    && expanding.Add(fragment.FragmentName.Name.StringValue):
                    CountRoot(fragment.SelectionSet, expanding, ref count);
                    expanding.Remove(fragment.FragmentName.Name.StringValue);
                    break;
            }

            if (count > _options.MaxRootFields)
            {
                return;
            }
        }
    }

    /// <summary>Walks one operation or fragment: the fields it selects are counted from zero.</summary>
    private void Walk(GraphQLSelectionSet root)
    {
        _fields = 0;
        Merged([root], depth: 1);
    }

    /// <summary>
    /// One selection set as execution sees it: the sets of every same-named field merged, fragments expanded. Pairs of
    /// fields sharing a response name here are what the overlapping-fields rule compares; their sub-selections merge in
    /// turn, one level down.
    /// </summary>
    private void Merged(IReadOnlyList<GraphQLSelectionSet> sets, int depth)
    {
        var byResponseName = new Dictionary<string, List<GraphQLField>>(StringComparer.Ordinal);
        foreach (var set in sets)
        {
            Collect(set, depth, byResponseName, spreadDepth: 0);
        }

        foreach (var fields in byResponseName.Values)
        {
            _pairs += (long)fields.Count * (fields.Count - 1) / 2;
            if (_pairs > _options.MaxFieldMergePairs)
            {
                throw Exceeded(
                    "too_complex",
                    $"Validating this document means comparing more than {_options.MaxFieldMergePairs} pairs of fields that share a response name; " +
                    "select each field once, or give repeated fields distinct aliases.",
                    fields[^1]);
            }
        }

        foreach (var fields in byResponseName.Values)
        {
            var children = fields.Where(f => f.SelectionSet is not null).Select(f => f.SelectionSet!).ToList();
            if (children.Count > 0)
            {
                Merged(children, depth + 1);
            }
        }
    }

    private void Collect(GraphQLSelectionSet set, int depth, Dictionary<string, List<GraphQLField>> byResponseName, int spreadDepth)
    {
        foreach (var selection in set.Selections)
        {
            switch (selection)
            {
                case GraphQLField field:
                    var name = (field.Alias?.Name ?? field.Name).StringValue;
                    Directives(field.Directives, field, $"field '{name}'");
                    if (depth > _options.MaxDepth)
                    {
                        throw Exceeded("too_deep", $"Field '{name}' is nested {depth} levels deep; at most {_options.MaxDepth} are allowed.", field);
                    }

                    if (++_fields > _options.MaxFields)
                    {
                        throw Exceeded(
                            "too_many_fields",
                            $"The document selects more than {_options.MaxFields} fields in one operation or fragment (aliases included, fragments counted at each use).",
                            field);
                    }

                    if (!byResponseName.TryGetValue(name, out var same))
                    {
                        byResponseName[name] = same = [];
                    }

                    same.Add(field);
                    break;
                case GraphQLInlineFragment inline:
                    Directives(inline.Directives, inline, "an inline fragment");
                    Collect(inline.SelectionSet, depth, byResponseName, spreadDepth);
                    break;
                case GraphQLFragmentSpread spread:
                    var fragmentName = spread.FragmentName.Name.StringValue;
                    Directives(spread.Directives, spread, $"the spread of fragment '{fragmentName}'");
                    if (spreadDepth + 1 > _options.MaxDepth)
                    {
                        throw Exceeded("too_deep", $"Fragments are nested more than {_options.MaxDepth} levels deep.", spread);
                    }

                    // A fragment spread inside itself is a cycle, refused by validation; here it is just not followed.
                    if (_fragments.TryGetValue(fragmentName, out var fragment) && _expanding.Add(fragmentName))
                    {
                        Collect(fragment.SelectionSet, depth, byResponseName, spreadDepth + 1);
                        _expanding.Remove(fragmentName);
                    }

                    break;
            }
        }
    }

    private void Directives(GraphQLDirectives? directives, ASTNode node, string where)
    {
        if (directives is not null && directives.Count > _options.MaxDirectivesPerLocation)
        {
            throw Exceeded(
                "too_many_directives",
                $"{Capitalized(where)} has {directives.Count} directives; at most {_options.MaxDirectivesPerLocation} are allowed in one place.",
                node);
        }
    }

    private static string Capitalized(string text) => char.ToUpperInvariant(text[0]) + text[1..];

    private LimitExceeded Exceeded(string code, string message, ASTNode node) =>
        new(new ValidationError(_document.Source, null, message, node) { Code = code });

    /// <summary>Unwinds the walk at the first limit exceeded.</summary>
    private sealed class LimitExceeded(ValidationError error) : Exception(error.Message)
    {
        public ValidationError Error { get; } = error;
    }
}
