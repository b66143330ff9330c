using Wafer.Protocol.Diagnostics;

namespace Wafer.Architecture.Tests;

public sealed class EventIdTests
{
    private static readonly List<LogEvent> Events = LogEvents.All();

    [Fact]
    public void LogEvents_AreFoundInEveryProjectThatLogs()
    {
        // Guards the check itself: an empty list would pass everything below.
        var projects = Events.Select(e => e.Project).ToHashSet(StringComparer.Ordinal);

        Assert.Superset(new HashSet<string>(["Wafer.Wasm", "Wafer.Runtime", "Wafer.Hosting", "Wafer.ControlPlane", "Wafer.Gateway"]), projects);
        Assert.True(Events.Count > 100, $"only {Events.Count} log events found");
    }

    [Fact]
    public void EveryLogEvent_HasANameAndAnIdInItsProjectsBand()
    {
        var bands = EventIdBands.All.ToDictionary(b => b.Project, StringComparer.Ordinal);

        var outside = Events
            .Where(e => string.IsNullOrEmpty(e.Name) || !bands.TryGetValue(e.Project, out var band) || !band.Contains(e.Id))
            .Select(e => $"{e.Method}: event {e.Id} '{e.Name}' is outside {e.Project}'s band")
            .ToList();

        Assert.True(outside.Count == 0, string.Join(Environment.NewLine, outside));
    }

    [Fact]
    public void NoTwoLogEvents_ShareAnId()
    {
        var shared = Events.GroupBy(e => e.Id).Where(g => g.Count() > 1)
            .Select(g => $"event {g.Key}: {string.Join(", ", g.Select(e => e.Method))}")
            .ToList();

        Assert.True(shared.Count == 0, string.Join(Environment.NewLine, shared));
    }

    [Fact]
    public void Bands_DoNotOverlap()
    {
        var bands = EventIdBands.All.OrderBy(b => b.First).ToList();

        Assert.All(bands.Zip(bands.Skip(1)), pair => Assert.True(pair.First.Last < pair.Second.First, $"{pair.First} overlaps {pair.Second}"));
        Assert.Equal(ProjectGraph.Allowed.Keys.Where(p => p != "Wafer.Protocol").Order(StringComparer.Ordinal), bands.Select(b => b.Project).Order(StringComparer.Ordinal));
    }
}
