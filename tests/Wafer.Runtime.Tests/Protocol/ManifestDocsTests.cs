using System.Text;
using System.Text.RegularExpressions;
using Wafer.Protocol.Manifest;
using Wafer.Runtime.Tests.Support;

namespace Wafer.Runtime.Tests.Protocol;

/// <summary>The manifest docs stay true: every example parses, and the JSON Schema knows every key the reader accepts.</summary>
public sealed partial class ManifestDocsTests
{
    private static string Doc(string name) => File.ReadAllText(Path.Combine(TestGuests.RepositoryRoot, "docs", name));

    [Fact]
    public void ManifestDoc_EveryJsonExample_Parses()
    {
        var examples = JsonBlock().Matches(Doc("manifest.md")).Select(m => m.Groups[1].Value).ToArray();
        Assert.True(examples.Length >= 5, $"found only {examples.Length} examples");
        foreach (var example in examples)
        {
            var manifest = ManifestReader.Parse(Encoding.UTF8.GetBytes(example));
            Assert.False(string.IsNullOrEmpty(manifest.Name));
        }
    }

    [Fact]
    public void Schema_ListsEveryCapabilityKey()
    {
        using var schema = JsonDocument.Parse(Doc("manifest.schema.json"));
        var properties = schema.RootElement.GetProperty("properties");
        foreach (var key in new[] { "name", "limits", "connections", "models", "config", "resolvers" })
        {
            Assert.True(properties.TryGetProperty(key, out _), $"the schema does not describe '{key}'");
        }

        Assert.False(schema.RootElement.GetProperty("additionalProperties").GetBoolean());
    }

    [GeneratedRegex("```json\\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex JsonBlock();
}
