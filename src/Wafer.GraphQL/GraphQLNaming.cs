using System.Text;
using Wafer.Protocol.Metadata;

namespace Wafer.GraphQL;

/// <summary>
/// Modus's conventions for turning function names into GraphQL fields (docs/graphql.md, "Naming"): mutation
/// prefixes, <c>get</c>/<c>list</c> stripped, <c>_</c>-prefixed functions hidden.
/// </summary>
internal static class GraphQLNaming
{
    private static readonly string[] MutationPrefixes =
    [
        "mutate", "post", "patch", "put", "delete", "add", "update", "insert", "upsert", "create", "edit", "save",
        "remove", "alter", "modify", "start", "stop",
    ];

    private static readonly string[] StrippedPrefixes = ["get", "list"];

    /// <summary>Functions whose name starts with <c>_</c> are never exposed.</summary>
    public static bool IsHidden(string functionName) => functionName.StartsWith('_');

    /// <summary>
    /// True when the name equals or starts with a mutation prefix (case-insensitive) and the character after the
    /// prefix is not a lowercase a-z: <c>addPost</c> and <c>add</c> are mutations, <c>additionalPosts</c> is not.
    /// </summary>
    public static bool IsMutation(string functionName)
    {
        foreach (var prefix in MutationPrefixes)
        {
            if (HasPrefix(functionName, prefix, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// The field name: a leading <c>get</c> or <c>list</c> (case-sensitive, same next-character rule) is stripped,
    /// then the first letter is lowercased: <c>getPerson</c> → <c>person</c>, <c>listPeople</c> → <c>people</c>,
    /// <c>sayHello</c> → <c>sayHello</c>. The prefix stays when stripping would leave an empty or invalid name
    /// (<c>get</c>, <c>get2</c>, <c>get__x</c>).
    /// </summary>
    public static string FieldName(string functionName)
    {
        ArgumentException.ThrowIfNullOrEmpty(functionName);
        var name = functionName;
        foreach (var prefix in StrippedPrefixes)
        {
            if (name.Length > prefix.Length && HasPrefix(name, prefix, StringComparison.Ordinal) && StartsValidName(name.AsSpan(prefix.Length)))
            {
                name = name[prefix.Length..];
                break;
            }
        }

        return LowerFirst(name);
    }

    /// <summary>The plugin's name as a type-name prefix: <c>hello-world</c> → <c>HelloWorld</c>.</summary>
    public static string PluginPascal(string pluginName)
    {
        var builder = new StringBuilder(pluginName.Length);
        var upper = true;
        foreach (var c in pluginName)
        {
            if (!char.IsAsciiLetterOrDigit(c))
            {
                upper = true;
                continue;
            }

            builder.Append(upper ? char.ToUpperInvariant(c) : c);
            upper = false;
        }

        return ValidStart(builder.ToString());
    }

    /// <summary>The plugin's name as a field-name prefix: <c>hello-world</c> → <c>hello_world</c>.</summary>
    public static string PluginCamel(string pluginName)
    {
        var chars = pluginName.ToCharArray();
        for (var i = 0; i < chars.Length; i++)
        {
            if (!char.IsAsciiLetterOrDigit(chars[i]))
            {
                chars[i] = '_';
            }
        }

        return ValidStart(LowerFirst(new string(chars)));
    }

    /// <summary>GraphQL reserves names starting with <c>__</c>; everything else Wafer's identifiers allow is valid.</summary>
    public static bool IsValidName(string name) => name.Length > 0 && StartsValidName(name) && Identifier.IsValid(name);

    internal static string LowerFirst(string name) =>
        name.Length == 0 || !char.IsAsciiLetterUpper(name[0]) ? name : char.ToLowerInvariant(name[0]) + name[1..];

    private static bool HasPrefix(string name, string prefix, StringComparison comparison) =>
        name.StartsWith(prefix, comparison) && (name.Length == prefix.Length || !char.IsAsciiLetterLower(name[prefix.Length]));

    private static bool StartsValidName(ReadOnlySpan<char> rest) =>
        rest.Length > 0 && (char.IsAsciiLetter(rest[0]) || (rest[0] == '_' && (rest.Length == 1 || rest[1] != '_')));

    private static string ValidStart(string name) => name.Length == 0 || char.IsAsciiDigit(name[0]) ? "_" + name : name;
}
