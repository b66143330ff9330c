using Wafer.ControlPlane.Triggers;

namespace Wafer.ControlPlane.Tests.Triggers;

public sealed class DeploymentManifestsTests
{
    private static string Text(string name, string cron = "*/5 * * * *") =>
        $$"""{"name":"{{name}}","triggers":[{"cron":"{{cron}}","function":"tick"}]}""";

    [Fact]
    public void ManyDeployments_AreParsedOnce_AcrossRounds()
    {
        var manifests = new DeploymentManifests();
        var names = Enumerable.Range(0, 1500).Select(i => $"d-{i:D4}").ToList();
        var texts = names.ToDictionary(n => n, n => Text(n));

        for (var round = 0; round < 3; round++)
        {
            foreach (var name in names)
            {
                var manifest = manifests.Get(name, texts[name], out var problem);
                Assert.Null(problem);
                Assert.Single(manifest!.Triggers);
            }
        }

        Assert.Equal(1500, manifests.Parses);
    }

    [Fact]
    public void ChangedText_IsParsedAgain_AndAnUnreadableOneSaysWhy()
    {
        var manifests = new DeploymentManifests();
        var first = manifests.Get("web", Text("web"), out _);
        var second = manifests.Get("web", Text("web", "0 * * * *"), out _);
        var broken = manifests.Get("web", "{not json", out var problem);

        Assert.NotNull(first);
        Assert.NotNull(second);
        Assert.NotSame(first, second);
        Assert.Null(broken);
        Assert.False(string.IsNullOrEmpty(problem));
        Assert.Equal(3, manifests.Parses);
    }

    [Fact]
    public void RemovedDeployments_AreForgotten()
    {
        var manifests = new DeploymentManifests();
        manifests.Get("a", Text("a"), out _);
        manifests.Get("b", Text("b"), out _);

        manifests.Retain(1, name => name == "a");
        manifests.Get("a", Text("a"), out _);
        manifests.Get("b", Text("b"), out _);

        Assert.Equal(3, manifests.Parses); // "a" kept, "b" parsed again
    }
}
