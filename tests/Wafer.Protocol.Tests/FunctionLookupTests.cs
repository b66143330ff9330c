using Wafer.Protocol.Calls;

namespace Wafer.Protocol.Tests;

public sealed class FunctionLookupTests
{
    // Plugins a and b both export "greet"; only a exports "add".
    private static readonly Dictionary<string, string[]> Plugins = new(StringComparer.Ordinal)
    {
        ["a"] = ["greet", "add"],
        ["b"] = ["greet"],
    };

    [Fact]
    public void QualifiedName_FindsThatPluginsFunction()
    {
        var found = Find("b", "greet");

        Assert.Equal("b/greet", found.Function);
        Assert.Null(found.Error);
    }

    [Fact]
    public void QualifiedName_UnknownPlugin_SaysSoInTheIndexsWords()
    {
        var found = Find("c", "greet");

        Assert.Null(found.Function);
        Assert.Equal("no plugin named 'c' is here", found.Error);
        Assert.False(found.Ambiguous);
    }

    [Fact]
    public void QualifiedName_KnownPluginWithoutTheFunction_NamesBoth()
    {
        var found = Find("b", "add");

        Assert.Equal("plugin 'b' has no function 'add'", found.Error);
    }

    [Fact]
    public void PlainName_OneExporter_FindsIt()
    {
        Assert.Equal("a/add", Find(null, "add").Function);
    }

    [Fact]
    public void PlainName_SeveralExporters_IsAmbiguousAndListsThePathsToCall()
    {
        var found = Find(null, "greet");

        Assert.Null(found.Function);
        Assert.True(found.Ambiguous);
        Assert.Equal("function 'greet' is exported by several plugins; call one of: /functions/a/greet, /functions/b/greet", found.Error);
    }

    [Fact]
    public void PlainName_NoExporter_SaysSoInTheIndexsWords()
    {
        var found = Find(null, "missing");

        Assert.False(found.Ambiguous);
        Assert.Equal("no function named 'missing' is here", found.Error);
    }

    private static FunctionLookupResult<string> Find(string? plugin, string name) =>
        FunctionLookup.Find<string, Index>(default, plugin, name);

    private readonly struct Index : IFunctionIndex<string>
    {
        public string? Qualified(string plugin, string name, out bool pluginKnown)
        {
            pluginKnown = Plugins.TryGetValue(plugin, out var functions);
            return pluginKnown && functions!.Contains(name) ? plugin + "/" + name : null;
        }

        public string? Unique(string name) =>
            Exporters(name) is null ? Plugins.Where(p => p.Value.Contains(name)).Select(p => p.Key + "/" + name).SingleOrDefault() : null;

        public IEnumerable<string>? Exporters(string name)
        {
            var all = Plugins.Where(p => p.Value.Contains(name)).Select(p => p.Key + "/" + name).Order(StringComparer.Ordinal).ToList();
            return all.Count > 1 ? all : null;
        }

        public string NoPlugin(string plugin) => $"no plugin named '{plugin}' is here";

        public string NoFunction(string name) => $"no function named '{name}' is here";
    }
}
