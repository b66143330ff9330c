using Wafer.Runtime.Catalog;
using Wafer.Runtime.Tests.Support;

namespace Wafer.Runtime.Tests.Modus;

/// <summary>
/// The GraphQL schema of Modus apps names fields, arguments and types as Modus did (the fixtures README's tables),
/// edge cases included: case-sensitive prefix trimming, mutation prefixes, maps as pair lists, bytes as String.
/// </summary>
public sealed class ModusGraphQLNamesTests
{
    [Fact]
    public async Task Schema_FollowsModusNamingRules()
    {
        await using var server = await RuntimeServer.StartAsync([]);
        foreach (var (fixture, plugin) in new[]
        {
            ("agents", "agents"), ("auth-example", "auth"), ("classification-example", "classification"),
            ("dgraph-example", "dgraph"), ("http-example", "http"), ("time-example", "time"), ("my-modus-app", "template"),
        })
        {
            ModusFixtures.Copy(fixture, server.PluginsPath, plugin);
        }

        await server.Services.GetRequiredService<PluginReloader>().ScanAsync();
        var sdl = await server.Client.GetStringAsync("/graphql?sdl");

        foreach (var expected in new[]
        {
            "listAgents: [AgentInfo!]!",
            "agentInfo(agentId: String!): AgentInfo!",
            "startCounterAgent: AgentInfo!",
            "updateCountAsync(agentId: String!, qty: Int!): Void",
            "jWTClaims: ExampleClaims!",
            "classificationLabels(text: String!): [StringFloatPair!]!",
            "multipleClassificationLabels(ids: [String!]!, texts: [String!]!): [StringStringFloatPairListPair!]!",
            "addPersonAsRDF(firstName: String!, lastName: String!): [StringStringPair!]",
            "dropAll: String!",
            "dropAttr(attr: String!): String!",
            "alterSchema: String!",
            "randomImage(width: Int!, height: Int!): Image!",
            "createGithubIssue(owner: String!, repo: String!, title: String!, body: String!): Issue!",
            "utcTime: Timestamp!",
            "sayHello(name: String): String!",
        })
        {
            // Root fields are nullable in Wafer's schema (a failed call nulls only its field): compare up to the outer '!'.
            Assert.Contains(expected.TrimEnd('!'), sdl);
        }

        Assert.Contains("type Mutation", sdl);
        var mutation = sdl[sdl.IndexOf("type Mutation", StringComparison.Ordinal)..];
        mutation = mutation[..mutation.IndexOf('}')];
        foreach (var field in new[] { "startCounterAgent", "stopAgent", "updateCount", "addPersonAsRDF", "alterSchema", "createGithubIssue" })
        {
            Assert.Contains(field, mutation);
        }

        Assert.DoesNotContain("dropAll", mutation);
        Assert.DoesNotContain("_modus_agent", sdl);
        Assert.Matches(@"type Image \{[^}]*data: String!", sdl);
        Assert.Matches(@"type ExampleClaims \{[^}]*exp: Int64!", sdl);
    }
}
