using Wafer.GraphQL;

namespace Wafer.Runtime.Tests.GraphQL;

public sealed class SchemaGeneratorTests
{
    private const string Shapes = """
        {"abi":1,"functions":[
          {"name":"scalars","parameters":[
            {"name":"b","type":"bool"},{"name":"i8","type":"i8"},{"name":"i16","type":"i16"},{"name":"i32","type":"i32"},
            {"name":"u8","type":"u8"},{"name":"u16","type":"u16"},{"name":"u32","type":"u32"},{"name":"i64","type":"i64"},
            {"name":"u64","type":"u64"},{"name":"f32","type":"f32"},{"name":"f64","type":"f64"},{"name":"s","type":"string"}],
           "result":"string"},
          {"name":"shapes","parameters":[
            {"name":"a","type":"string?[]"},{"name":"b","type":"string[]?"},{"name":"c","type":"i64[][]"},{"name":"d","type":"Person?"}],
           "result":"Person[]?"},
          {"name":"getPerson","doc":"Finds a person.","parameters":[{"name":"id","type":"u64","doc":"The person's id."}],"result":"Person"},
          {"name":"listPeople","result":"Person?[]"},
          {"name":"addPerson","parameters":[{"name":"person","type":"Person"}],"result":"void"},
          {"name":"additionalPosts","result":"u32"},
          {"name":"counts","result":"i64[]"},
          {"name":"_internal","result":"string"},
          {"name":"repeat","parameters":[{"name":"text","type":"string","default":"hi"},{"name":"times","type":"i32","default":3},
            {"name":"big","type":"i64","default":5},{"name":"loud","type":"bool?","default":true},{"name":"note","type":"string?","default":null}],"result":"string"}],
         "types":[
          {"name":"Person","doc":"Someone.","fields":[
            {"name":"name","type":"string"},{"name":"age","type":"u8?","doc":"In years."},{"name":"home","type":"Place?"},
            {"name":"tags","type":"string[]"},{"name":"big","type":"u64"}]},
          {"name":"Place","fields":[{"name":"lat","type":"f64"},{"name":"lon","type":"f64"}]},
          {"name":"Unused","fields":[{"name":"x","type":"i32"}]}]}
        """;

    private readonly string _sdl = new GraphQLTestSchema(("hello", Shapes)).Sdl;

    [Fact]
    public void Scalars_MapToGraphQLAndWaferScalars()
    {
        Assert.Contains(
            "scalars(b: Boolean!, i8: Int!, i16: Int!, i32: Int!, u8: Int!, u16: Int!, u32: UInt!, i64: Int64!, u64: UInt64!, f32: Float!, f64: Float!, s: String!): String\n",
            _sdl);
        Assert.Contains("scalar Int64", _sdl);
        Assert.Contains("scalar UInt\n", _sdl);
        Assert.Contains("scalar UInt64", _sdl);
    }

    [Fact]
    public void Defaults_AreArgumentDefaults()
    {
        Assert.Contains("repeat(text: String! = \"hi\", times: Int! = 3, big: Int64! = 5, loud: Boolean = true, note: String): String\n", _sdl);
    }

    [Fact]
    public void ArraysAndNullables_MapToListsAndNullability()
    {
        Assert.Contains("shapes(a: [String]!, b: [String!], c: [[Int64!]!]!, d: PersonInput): [Person!]\n", _sdl);
        Assert.Contains("people: [Person]\n", _sdl);
        Assert.Contains("counts: [Int64!]\n", _sdl);
    }

    [Fact]
    public void Classes_BecomeObjectTypesAndInputTypesWithDescriptions()
    {
        Assert.Contains("""
            "Someone."
            type Person {
              name: String!
              "In years."
              age: Int
              home: Place
              tags: [String!]!
              big: UInt64!
            }
            """.ReplaceLineEndings("\n"), _sdl);
        Assert.Contains("""
            "Someone."
            input PersonInput {
              name: String!
              "In years."
              age: Int
              home: PlaceInput
              tags: [String!]!
              big: UInt64!
            }
            """.ReplaceLineEndings("\n"), _sdl);
        Assert.Contains("input PlaceInput {", _sdl);
        Assert.DoesNotContain("Unused", _sdl);
    }

    [Fact]
    public void Functions_FollowModusNamingAndDescriptions()
    {
        Assert.Contains("""
              "Finds a person."
              person(
                "The person's id."
                id: UInt64!): Person
            """.ReplaceLineEndings("\n"), _sdl);
        Assert.Contains("additionalPosts: UInt\n", _sdl);
        Assert.DoesNotContain("internal", _sdl);
    }

    [Fact]
    public void MutationPrefixes_GoToMutationWithVoidResult()
    {
        Assert.Contains("""
            type Mutation {
              addPerson(person: PersonInput!): Void
            }
            """.ReplaceLineEndings("\n"), _sdl);
        Assert.Contains("scalar Void", _sdl);
        var query = _sdl[_sdl.IndexOf("type Query {", StringComparison.Ordinal)..];
        Assert.DoesNotContain("addPerson", query[..query.IndexOf('}')]);
    }

    [Fact]
    public void NoQueries_QueryHasPlaceholderAndSchemaIsValid()
    {
        var schema = new GraphQLTestSchema(("writer", """{"abi":1,"functions":[{"name":"savePost","parameters":[{"name":"text","type":"string"}]}]}"""));
        Assert.Contains($"type Query {{\n  \"Placeholder while no loaded plugin exports a query; always null.\"\n  {SchemaGenerator.PlaceholderField}: Boolean\n}}", schema.Sdl);
        Assert.Contains("savePost(text: String!): Void", schema.Sdl);
    }

    [Fact]
    public async Task NoPlugins_SchemaAnswersIntrospection()
    {
        var schema = new GraphQLTestSchema();
        var (result, json) = await schema.ExecuteAsync("{ __schema { queryType { name } mutationType { name } } }");
        Assert.True(result.Errors is null or { Count: 0 }, json);
        Assert.Contains("\"queryType\":{\"name\":\"Query\"},\"mutationType\":null", json);
    }

    [Fact]
    public void HiddenFunctions_AreNotFieldsAndTheirTypesAreLeftOut()
    {
        var schema = new GraphQLTestSchema(("p", """
            {"abi":1,"functions":[{"name":"_secret","result":"Secret"},{"name":"visible","result":"string"}],
             "types":[{"name":"Secret","fields":[{"name":"key","type":"string"}]}]}
            """));
        Assert.DoesNotContain("secret", schema.Sdl, StringComparison.OrdinalIgnoreCase);
        Assert.Single(schema.Generated.Functions);
    }

    [Fact]
    public void ReservedGraphQLNames_AreLeftOutWithANote()
    {
        var schema = new GraphQLTestSchema(("p", """
            {"abi":1,"functions":[{"name":"bad","parameters":[{"name":"__x","type":"string"}]},{"name":"good","result":"Query"}],
             "types":[{"name":"Query","fields":[{"name":"x","type":"string"}]}]}
            """));
        Assert.DoesNotContain("bad", schema.Sdl);
        Assert.Contains("good: P_Query\n", schema.Sdl);
        Assert.Contains(schema.Generated.Notes, n => n.Contains("p/bad") && n.Contains("__x"));
        Assert.Contains(schema.Generated.Notes, n => n.Contains("'P_Query'") && n.Contains("reserved"));
    }

    [Fact]
    public void SelfReferencingClass_IsOneType()
    {
        var schema = new GraphQLTestSchema(("tree", """
            {"abi":1,"functions":[{"name":"root","parameters":[{"name":"n","type":"Node"}],"result":"Node"}],
             "types":[{"name":"Node","fields":[{"name":"value","type":"i32"},{"name":"children","type":"Node[]"}]}]}
            """));
        Assert.Contains("type Node {\n  value: Int!\n  children: [Node!]!\n}", schema.Sdl);
        Assert.Contains("input NodeInput {\n  value: Int!\n  children: [NodeInput!]!\n}", schema.Sdl);
    }

    [Fact]
    public void DocsExample_GeneratesTheDocumentedSchema()
    {
        var schema = new GraphQLTestSchema(("blog", """
            {"abi":1,"functions":[
              {"name":"getPost","parameters":[{"name":"id","type":"u64"}],"result":"Post?","doc":"Finds a post."},
              {"name":"listPosts","parameters":[{"name":"tag","type":"string?"}],"result":"Post[]"},
              {"name":"addPost","parameters":[{"name":"post","type":"Post"}],"result":"u64"},
              {"name":"_reindex","result":"void"}],
             "types":[{"name":"Post","fields":[{"name":"id","type":"u64"},{"name":"title","type":"string"},{"name":"tags","type":"string[]"}]}]}
            """));

        Assert.Contains("type Query {\n  \"Finds a post.\"\n  post(id: UInt64!): Post\n  posts(tag: String): [Post!]\n}", schema.Sdl);
        Assert.Contains("type Post {\n  id: UInt64!\n  title: String!\n  tags: [String!]!\n}", schema.Sdl);
        Assert.Contains("input PostInput {\n  id: UInt64!\n  title: String!\n  tags: [String!]!\n}", schema.Sdl);
        Assert.Contains("type Mutation {\n  addPost(post: PostInput!): UInt64\n}", schema.Sdl);
    }
}
