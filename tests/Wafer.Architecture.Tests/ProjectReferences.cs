using System.Xml.Linq;

namespace Wafer.Architecture.Tests;

/// <summary>Reads the <c>src/*/*.csproj</c> files of a checkout and says which of their references the graph does not allow.</summary>
internal static class ProjectReferences
{
    /// <summary>Every violation found under <paramref name="srcFolder"/>, one sentence each; empty when the graph holds.</summary>
    public static List<string> Violations(string srcFolder, IReadOnlyDictionary<string, string[]> allowed, IReadOnlySet<string> withoutAspNet)
    {
        var violations = new List<string>();
        foreach (var file in Directory.EnumerateFiles(srcFolder, "*.csproj", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            var project = Path.GetFileNameWithoutExtension(file);
            if (!allowed.TryGetValue(project, out var mayReference))
            {
                violations.Add($"{project} has no place in the project graph; add it to ProjectGraph and to ARCHITECTURE.md");
                continue;
            }

            var document = XDocument.Load(file);
            foreach (var reference in document.Descendants("ProjectReference"))
            {
                var target = Path.GetFileNameWithoutExtension(reference.Attribute("Include")?.Value ?? "");
                if (!mayReference.Contains(target, StringComparer.Ordinal))
                {
                    violations.Add($"{project} references {target}, which the graph does not allow (it may reference: {Show(mayReference)})");
                }
            }

            if (withoutAspNet.Contains(project)
                && document.Descendants("FrameworkReference").Any(r => (r.Attribute("Include")?.Value ?? "").StartsWith("Microsoft.AspNetCore", StringComparison.Ordinal)))
            {
                violations.Add($"{project} references the ASP.NET shared framework; it stays a plain library");
            }
        }

        return violations;
    }

    private static string Show(string[] projects) => projects.Length == 0 ? "nothing" : string.Join(", ", projects);
}
