namespace Wafer.Architecture.Tests;

public sealed class ProjectGraphTests
{
    [Fact]
    public void SourceProjects_ReferenceOnlyProjectsBelowThem()
    {
        var violations = ProjectReferences.Violations(Path.Combine(Checkout.Root, "src"), ProjectGraph.Allowed, ProjectGraph.WithoutAspNet);

        Assert.True(violations.Count == 0, string.Join(Environment.NewLine, violations));
    }

    [Fact]
    public void AllowedGraph_HasNoCycle()
    {
        var visiting = new HashSet<string>(StringComparer.Ordinal);
        var done = new HashSet<string>(StringComparer.Ordinal);

        foreach (var project in ProjectGraph.Allowed.Keys)
        {
            Visit(project);
        }

        void Visit(string project)
        {
            if (done.Contains(project))
            {
                return;
            }

            Assert.True(visiting.Add(project), $"the allowed graph has a cycle through {project}");
            foreach (var below in ProjectGraph.Allowed[project])
            {
                Assert.True(ProjectGraph.Allowed.ContainsKey(below), $"{project} may reference {below}, which is not in the graph");
                Visit(below);
            }

            visiting.Remove(project);
            done.Add(project);
        }
    }

    [Theory]
    [InlineData("Wafer.Gateway", "Wafer.Runtime")]
    [InlineData("Wafer.ControlPlane", "Wafer.Wasm")]
    [InlineData("Wafer.Protocol", "Wafer.Hosting")]
    public void UpwardReference_IsReportedByName(string project, string target)
    {
        using var checkout = new ScratchSource();
        checkout.Write(project, $"""<ProjectReference Include="../{target}/{target}.csproj" />""");

        var violations = ProjectReferences.Violations(checkout.Folder, ProjectGraph.Allowed, ProjectGraph.WithoutAspNet);

        var violation = Assert.Single(violations);
        Assert.StartsWith($"{project} references {target}, which the graph does not allow", violation, StringComparison.Ordinal);
    }

    [Fact]
    public void ProjectOutsideTheGraph_IsReported()
    {
        using var checkout = new ScratchSource();
        checkout.Write("Wafer.Extras", "");

        var violation = Assert.Single(ProjectReferences.Violations(checkout.Folder, ProjectGraph.Allowed, ProjectGraph.WithoutAspNet));

        Assert.Equal("Wafer.Extras has no place in the project graph; add it to ProjectGraph and to ARCHITECTURE.md", violation);
    }

    [Fact]
    public void WasmOnTheAspNetFramework_IsReported()
    {
        using var checkout = new ScratchSource();
        checkout.Write("Wafer.Wasm", """<FrameworkReference Include="Microsoft.AspNetCore.App" />""");

        var violation = Assert.Single(ProjectReferences.Violations(checkout.Folder, ProjectGraph.Allowed, ProjectGraph.WithoutAspNet));

        Assert.Equal("Wafer.Wasm references the ASP.NET shared framework; it stays a plain library", violation);
    }

    [Fact]
    public void ArchitectureDocument_ShowsEveryProjectOfTheGraph()
    {
        var text = File.ReadAllText(Path.Combine(Checkout.Root, "ARCHITECTURE.md"));

        foreach (var (project, below) in ProjectGraph.Allowed)
        {
            var row = $"| `{project}` | {(below.Length == 0 ? "nothing" : string.Join(", ", below.Select(b => $"`{b}`")))} |";
            Assert.Contains(row, text, StringComparison.Ordinal);
        }
    }

    /// <summary>A <c>src</c> folder in a temporary place with one project file.</summary>
    private sealed class ScratchSource : IDisposable
    {
        public string Folder { get; } = Directory.CreateTempSubdirectory("wafer-graph-").FullName;

        public void Write(string project, string items)
        {
            var folder = Directory.CreateDirectory(Path.Combine(Folder, project)).FullName;
            File.WriteAllText(Path.Combine(folder, project + ".csproj"),
                $"""<Project Sdk="Microsoft.NET.Sdk"><ItemGroup>{items}</ItemGroup></Project>""");
        }

        public void Dispose() => Directory.Delete(Folder, recursive: true);
    }
}
