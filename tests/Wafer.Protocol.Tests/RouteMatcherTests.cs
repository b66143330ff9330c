using Wafer.Protocol.Manifest;

namespace Wafer.Protocol.Tests;

public sealed class RouteMatcherTests
{
    [Fact]
    public void ExactRoute_ComesBeforeEveryPrefixRoute()
    {
        var matcher = Matcher(("/...", "all"), ("/api/...", "api"), ("/api/users", "users"));

        Assert.Equal(["users", "api", "all"], matcher.Candidates("/api/users").Select(r => r.Target));
    }

    [Fact]
    public void PrefixRoutes_LongestBaseFirst_EqualOnesByTieBreak()
    {
        var matcher = Matcher(("/a/...", "z-short"), ("/a/b/...", "y-long"), ("/a/b/...", "x-long"));

        Assert.Equal(["x-long", "y-long", "z-short"], matcher.Candidates("/a/b/c").Select(r => r.Target));
    }

    [Theory]
    [InlineData("/api", true)]
    [InlineData("/api/", true)]
    [InlineData("/api/x/y", true)]
    [InlineData("/apix", false)]
    [InlineData("/", false)]
    public void PrefixRoute_CoversItsBaseAndBelow_NotSiblingsSharingLetters(string path, bool covered)
    {
        var matcher = Matcher(("/api/...", "api"));

        Assert.Equal(covered, matcher.Covers(path));
        Assert.Equal(covered, matcher.Candidates(path).Any());
    }

    [Fact]
    public void CatchAll_CoversEveryPath()
    {
        var matcher = Matcher(("/...", "all"));

        Assert.True(matcher.Covers("/anything/at/all"));
        Assert.False(Matcher().Covers("/"));
        Assert.True(Matcher().IsEmpty);
    }

    [Fact]
    public void RouteAllowingGet_ServesHead_NotPost()
    {
        var route = new PluginRoute("/x", new ValueList<string>(["GET"]));

        Assert.True(route.Serves("GET"));
        Assert.True(route.Serves("HEAD"));
        Assert.False(route.Serves("POST"));
        Assert.True(new PluginRoute("/x", new ValueList<string>([])).Serves("DELETE"));
    }

    private static RouteMatcher<(PluginRoute Route, string Target)> Matcher(params (string Path, string Target)[] routes) =>
        new(routes.Select(r => (new PluginRoute(r.Path, new ValueList<string>([])), r.Target)), r => r.Route, r => r.Target);
}
