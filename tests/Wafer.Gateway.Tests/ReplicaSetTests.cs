using Wafer.Gateway.Health;

namespace Wafer.Gateway.Tests;

public sealed class ReplicaSetTests
{
    private static Destination Destination(string name) => new(name, name, $"http://{name}.test/");

    [Fact]
    public void Pick_AllHealthy_RoundRobin()
    {
        var set = new ReplicaSet("web", [Destination("a"), Destination("b"), Destination("c")]);

        var picked = Enumerable.Range(0, 6).Select(_ => set.Pick(0)!.RuntimeName).ToArray();

        Assert.Equal(["a", "b", "c", "a", "b", "c"], picked);
    }

    [Fact]
    public void Pick_WithTriedOnes_SkipsThem_WithoutMovingTheRotation()
    {
        Destination a = Destination("a"), b = Destination("b"), c = Destination("c");
        var set = new ReplicaSet("web", [a, b, c]);

        var first = set.Pick(0)!;
        Assert.Same(b, set.Pick(0, [first]));
        Assert.Same(c, set.Pick(0, [first, b]));
        Assert.Null(set.Pick(0, [a, b, c]));
        Assert.Same(b, set.Pick(0)); // the next call goes on from the first pick
    }

    [Fact]
    public void Pick_OnePutAside_SkippedUntilAProbeSucceeds()
    {
        var b = Destination("b");
        var set = new ReplicaSet("web", [Destination("a"), b]);
        b.PutAside(until: 60_000);

        Assert.All(Enumerable.Range(0, 4), _ => Assert.Equal("a", set.Pick(0)!.RuntimeName));
        Assert.True(b.ProbeSucceeded(now: 0)); // it was unhealthy
        Assert.Contains("b", Enumerable.Range(0, 4).Select(_ => set.Pick(0)!.RuntimeName));
    }

    [Fact]
    public void Pick_ProbesFail_DownAfterTwoInARow()
    {
        var a = Destination("a");
        var set = new ReplicaSet("web", [a]);

        Assert.False(a.ProbeFailed(failuresToDown: 2));
        Assert.Same(a, set.Pick(0));
        Assert.True(a.ProbeFailed(failuresToDown: 2));
        Assert.Null(set.Pick(0));
    }

    [Fact]
    public void Pick_PutAsideUntilALaterTime_PickedAgainFromThen()
    {
        var a = Destination("a");
        var set = new ReplicaSet("web", [a]);
        a.PutAside(until: 5_000);

        Assert.Null(set.Pick(4_999));
        Assert.Same(a, set.Pick(5_000));
    }

    [Fact]
    public void Destination_Stalled_SkippedUntilItAnswers()
    {
        var a = Destination("a");
        var set = new ReplicaSet("web", [a]);
        using var call = a.BeginCall(now: 1_000);

        Assert.Equal(400, a.SilentFor(1_400));
        Assert.True(a.TryBeginProbe());
        a.Answered(now: 1_450);
        Assert.False(a.Stall(probedAt: 1_400)); // answered while the probe was out: busy, not hung
        Assert.True(a.TryBeginProbe());
        Assert.True(a.Stall(probedAt: 1_450));
        Assert.Null(set.Pick(1_500));
        Assert.True(a.Answered(now: 1_600)); // an answer ends the stall
        Assert.Same(a, set.Pick(1_600));
        Assert.Equal(0, a.SilentFor(1_600));
    }

    [Fact]
    public void Destination_Prefix_HasNoTrailingSlash() => Assert.Equal("http://a.test", Destination("a").Prefix);
}
