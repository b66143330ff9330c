using Wafer.Gateway.Health;

namespace Wafer.Gateway.Tests;

public sealed class ReplicaSetTests
{
    private static Destination Destination(string name) => new(name, name, $"http://{name}.test/");

    [Fact]
    public void Pick_AllHealthy_RoundRobin()
    {
        var set = new ReplicaSet("web", [Destination("a"), Destination("b"), Destination("c")]);

        var picked = Enumerable.Range(0, 6).Select(_ => set.Pick()!.RuntimeName).ToArray();

        Assert.Equal(["a", "b", "c", "a", "b", "c"], picked);
    }

    [Fact]
    public void Pick_WithTriedOnes_SkipsThem_WithoutMovingTheRotation()
    {
        Destination a = Destination("a"), b = Destination("b"), c = Destination("c");
        var set = new ReplicaSet("web", [a, b, c]);

        var first = set.Pick()!;
        Assert.Same(b, set.Pick([first]));
        Assert.Same(c, set.Pick([first, b]));
        Assert.Null(set.Pick([a, b, c]));
        Assert.Same(b, set.Pick()); // the next call goes on from the first pick
    }

    [Fact]
    public void Pick_OnePutAside_SkippedUntilAProbeSucceeds()
    {
        var b = Destination("b");
        var set = new ReplicaSet("web", [Destination("a"), b]);
        b.PutAside(TimeSpan.FromMinutes(1));

        Assert.All(Enumerable.Range(0, 4), _ => Assert.Equal("a", set.Pick()!.RuntimeName));
        b.ReportProbe(ok: true);
        Assert.Contains("b", Enumerable.Range(0, 4).Select(_ => set.Pick()!.RuntimeName));
    }

    [Fact]
    public void Pick_ProbesFail_DownAfterTwoInARow()
    {
        var a = Destination("a");
        var set = new ReplicaSet("web", [a]);

        a.ReportProbe(ok: false);
        Assert.Same(a, set.Pick());
        a.ReportProbe(ok: false);
        Assert.Null(set.Pick());
    }

    [Fact]
    public void Destination_Prefix_HasNoTrailingSlash() => Assert.Equal("http://a.test", Destination("a").Prefix);
}
