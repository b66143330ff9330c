using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Wafer.Architecture.Tests;

/// <summary>
/// Finds the tests that measure wall time with a <c>Stopwatch</c> but do not say so with
/// <c>[Trait("Timing", "Sensitive")]</c> (on the test or its class), which scripts/test.sh runs after the rest, one at
/// a time, so a loaded machine does not fail them.
/// </summary>
internal static class TimingTraits
{
    public const string Name = "Timing";

    public const string Value = "Sensitive";

    /// <summary>"file: Class.Method" for each test under <paramref name="testsRoot"/> that reads a stopwatch without the trait.</summary>
    public static List<string> Untraited(string testsRoot)
    {
        var missing = new List<string>();
        foreach (var file in Directory.EnumerateFiles(testsRoot, "*.cs", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(testsRoot, file);
            if (relative.Split(Path.DirectorySeparatorChar).Any(part => part is "bin" or "obj" or "node_modules"))
            {
                continue;
            }

            var root = CSharpSyntaxTree.ParseText(File.ReadAllText(file)).GetRoot();
            foreach (var method in root.DescendantNodes().OfType<MethodDeclarationSyntax>())
            {
                if (IsTest(method) && ReadsStopwatch(method) && !Traited(method) && !(method.Parent is TypeDeclarationSyntax type && Traited(type)))
                {
                    missing.Add($"{relative}: {(method.Parent as TypeDeclarationSyntax)?.Identifier.Text}.{method.Identifier.Text}");
                }
            }
        }

        return missing;
    }

    private static bool IsTest(MethodDeclarationSyntax method) =>
        Attributes(method.AttributeLists).Any(a => Named(a, "Fact") || Named(a, "Theory"));

    private static bool ReadsStopwatch(MethodDeclarationSyntax method) =>
        method.DescendantNodes().OfType<IdentifierNameSyntax>().Any(n => n.Identifier.Text == "Stopwatch");

    private static bool Traited(MemberDeclarationSyntax member) =>
        Attributes(member.AttributeLists).Any(a => Named(a, "Trait")
            && a.ArgumentList?.Arguments.Select(x => (x.Expression as LiteralExpressionSyntax)?.Token.ValueText).ToArray() is [Name, Value]);

    private static IEnumerable<AttributeSyntax> Attributes(SyntaxList<AttributeListSyntax> lists) => lists.SelectMany(l => l.Attributes);

    private static bool Named(AttributeSyntax attribute, string name)
    {
        var text = attribute.Name switch
        {
            QualifiedNameSyntax qualified => qualified.Right.Identifier.Text,
            SimpleNameSyntax simple => simple.Identifier.Text,
            _ => attribute.Name.ToString(),
        };
        return text == name || text == name + "Attribute";
    }
}
