using Wafer.GraphQL;
using Wafer.Protocol.Metadata;

namespace Wafer.Runtime.Tests.GraphQL;

/// <summary>One plugin's metadata never costs the other plugins their fields.</summary>
public sealed class SchemaIsolationTests
{
    private const string Greeter = """
        { "abi": 1, "functions": [ { "name": "greet", "parameters": [ { "name": "name", "type": "string" } ], "result": "string" } ] }
        """;

    [Fact]
    public async Task ClassWithNoFields_ServedWithAPlaceholderField_BesideOtherPlugins()
    {
        var schema = new GraphQLTestSchema((_, _) => FakeCaller.Ok("{}"), ("greeter", Greeter), ("odd", """
            { "abi": 1, "functions": [
                { "name": "getNothing", "result": "Nothing" },
                { "name": "takeNothing", "parameters": [ { "name": "value", "type": "Nothing" } ], "result": "string" } ],
              "types": [ { "name": "Nothing", "fields": [] } ] }
            """));

        Assert.Contains("type Nothing {", schema.Sdl);
        Assert.Contains("input NothingInput {", schema.Sdl);
        Assert.Contains("  _empty: Boolean\n", schema.Sdl);
        Assert.Contains("greet(name: String!): String", schema.Sdl);
        Assert.All(schema.Generated.Plugins.Values, s => Assert.Equal(PluginSchemaStatus.Served, s.State));
        var (_, json) = await schema.ExecuteAsync("{ nothing { __typename _empty } }");
        Assert.Equal("""{"data":{"nothing":{"__typename":"Nothing","_empty":null}}}""", json);
    }

    [Fact]
    public void InputClassContainingItselfThroughNonNullFields_FunctionLeftOut_OthersOfThePluginKept()
    {
        var schema = new GraphQLTestSchema(("links", """
            { "abi": 1, "functions": [
                { "name": "chain", "parameters": [ { "name": "link", "type": "Link" } ], "result": "string" },
                { "name": "optional", "parameters": [ { "name": "link", "type": "Loose" } ], "result": "string" },
                { "name": "getLink", "result": "Link?" } ],
              "types": [
                { "name": "Link", "fields": [ { "name": "next", "type": "Hop" } ] },
                { "name": "Hop", "fields": [ { "name": "back", "type": "Link" } ] },
                { "name": "Loose", "fields": [ { "name": "next", "type": "Loose?" }, { "name": "all", "type": "Loose[]" } ] } ] }
            """));

        Assert.DoesNotContain("chain(", schema.Sdl);
        Assert.Contains("optional(link: LooseInput!): String", schema.Sdl);
        Assert.Contains("link: Link", schema.Sdl);
        var status = schema.Generated.Plugins["links"];
        Assert.Equal(PluginSchemaStatus.Served, status.State);
        var leftOut = Assert.Single(status.LeftOut);
        Assert.StartsWith("chain: argument 'link' uses class 'Link', which contains itself through non-null fields (Link.next → Hop.back → Link)", leftOut);
    }

    [Fact]
    public async Task MetadataTheSchemaCannotTake_RefusesThatPluginAlone()
    {
        // The metadata reader refuses a class with two fields of one name; the generator must survive anything it
        // is handed all the same, so this one is made directly.
        var broken = new PluginMetadata(1, "test",
            [new FunctionMetadata(0, "getTwice", [], WasmType.Class("Twice"), null)],
            [new TypeDefinition("Twice", [new FieldDefinition("a", WasmType.String, null), new FieldDefinition("a", WasmType.I32, null)], null)]);
        var plugins = new[]
        {
            new SchemaPlugin("alpha", MetadataReader.Parse(System.Text.Encoding.UTF8.GetBytes(Greeter))),
            new SchemaPlugin("broken", broken),
            new SchemaPlugin("zulu", MetadataReader.Parse(System.Text.Encoding.UTF8.GetBytes(Greeter.Replace("greet", "wave", StringComparison.Ordinal)))),
        };

        var generated = SchemaGenerator.Generate(plugins, f => new FakeCaller(f, (_, _) => FakeCaller.Ok("\"hi\"")));

        Assert.Equal(["greet", "wave"], generated.Functions.Select(f => f.FieldName).Order());
        var refused = generated.Plugins["broken"];
        Assert.Equal(PluginSchemaStatus.Refused, refused.State);
        Assert.StartsWith("the GraphQL schema cannot take its metadata: ", refused.Reason);
        Assert.Contains("'a'", refused.Reason);
        Assert.Equal(PluginSchemaStatus.Served, generated.Plugins["alpha"].State);
        Assert.Contains(generated.Notes, n => n.StartsWith("plugin 'broken' is left out of the schema: ", StringComparison.Ordinal));
        var result = await new global::GraphQL.DocumentExecuter().ExecuteAsync(new global::GraphQL.ExecutionOptions { Schema = generated.Schema, Query = "{ greet(name: \"x\") wave(name: \"y\") }" });
        Assert.Equal("""{"data":{"greet":"hi","wave":"hi"}}""", GraphQLJson.Serializer.Serialize(result));
    }
}
