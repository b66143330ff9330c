using System.Reflection;

namespace Wafer.Architecture.Tests;

/// <summary>
/// Types are <c>internal</c> unless another project uses them or they are meant as public surface: a public type no other
/// <c>src/</c> project names widens what every change must keep working for nothing (ARCHITECTURE.md, "Tests"). A type
/// counts as used when another project's code names it, or when a used type shows it in a visible member, base type or
/// interface (a public constructor's parameters must be public).
/// </summary>
public sealed class PublicSurfaceTests
{
    /// <summary>The projects held to the rule.</summary>
    private static readonly string[] Checked =
    [
        "Wafer.Protocol", "Wafer.Hosting", "Wafer.GraphQL", "Wafer.Wasm", "Wafer.Triggers", "Wafer.Storage",
        "Wafer.Runtime", "Wafer.Gateway", "Wafer.ControlPlane",
    ];

    /// <summary>Public types no other project names, each kept public on purpose; the reason says what for.</summary>
    private static readonly Dictionary<string, string> MeantPublic = new(StringComparer.Ordinal)
    {
        ["Wafer.Protocol.V1.MessageTypes"] = "the control protocol's message type names: a wire contract (docs/protocol.md)",
        ["Wafer.Protocol.V1.RestartPolicy"] = "the control protocol's restart policy values: a wire contract (docs/protocol.md)",
        ["Wafer.Hosting.Telemetry.Tracing.TraceAttributes"] = "its span attribute names are read by the runtime, the gateway and GraphQL: constants, which the compiler copies into their readers, so no type reference remains",
    };

    [Fact]
    public void EveryPublicType_IsUsedByAnotherProject_OrMeantAsSurface()
    {
        var unused = Checked
            .SelectMany(project => PublicButUnused(project).Select(type => $"{project}: {type}"))
            .Where(line => !MeantPublic.ContainsKey(line[(line.IndexOf(": ", StringComparison.Ordinal) + 2)..]))
            .ToList();

        Assert.True(unused.Count == 0,
            $"these public types are named by no other src project; make them internal, or list them in {nameof(PublicSurfaceTests)}.{nameof(MeantPublic)} with the reason:{Environment.NewLine}"
            + string.Join(Environment.NewLine, unused));
    }

    [Fact]
    public void MeantPublic_ListsOnlyPublicTypesNoOtherProjectNames()
    {
        var unused = Checked.SelectMany(PublicButUnused).ToHashSet(StringComparer.Ordinal);

        var stale = MeantPublic.Keys.Where(type => !unused.Contains(type)).ToList();

        Assert.True(stale.Count == 0, $"listed as meant public, but internal, gone, or used elsewhere (drop them from the list):{Environment.NewLine}{string.Join(Environment.NewLine, stale)}");
    }

    [Fact]
    public void References_AreFound()
    {
        // Guards the check itself: if no reference were read, every public type would look unused and the list grow.
        Assert.Contains("Wafer.Runtime.Hosting.RuntimeApp", UsedElsewhere("Wafer.Runtime"));
        Assert.Contains("Wafer.Protocol.Calls.CallStatus", UsedElsewhere("Wafer.Protocol"));
    }

    [Fact]
    public void TypesAUsedTypeShows_CountAsUsed()
    {
        // The orchestrator names RouteState, whose public constructor takes a RouteSnapshotBuilder, whose constructor takes
        // the DestinationRegistry: none of the last two is named outside the gateway, yet both must stay public.
        var gateway = Assembly.Load(new AssemblyName("Wafer.Gateway"));
        var named = UsedElsewhere("Wafer.Gateway");

        var shown = PublicSurface.WithWhatTheyShow(gateway, named);

        Assert.Contains("Wafer.Gateway.Routes.RouteState", named);
        Assert.DoesNotContain("Wafer.Gateway.Health.DestinationRegistry", named);
        Assert.Contains("Wafer.Gateway.Health.DestinationRegistry", shown);
    }

    private static IEnumerable<string> PublicButUnused(string project)
    {
        var used = PublicSurface.WithWhatTheyShow(Assembly.Load(new AssemblyName(LogEvents.AssemblyOf[project])), UsedElsewhere(project));
        return PublicSurface.Visible(FileOf(project)).Where(type => !used.Contains(type)).Order(StringComparer.Ordinal);
    }

    private static HashSet<string> UsedElsewhere(string project)
    {
        var assembly = LogEvents.AssemblyOf[project];
        return LogEvents.AssemblyOf.Keys
            .Where(other => other != project)
            .SelectMany(other => PublicSurface.ReferencedIn(FileOf(other), assembly))
            .ToHashSet(StringComparer.Ordinal);
    }

    private static string FileOf(string project) => Path.Combine(AppContext.BaseDirectory, LogEvents.AssemblyOf[project] + ".dll");
}
