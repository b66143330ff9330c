namespace Wafer.Runtime.Tests.GraphQL;

public sealed class SchemaCollisionTests
{
    private const string PersonWithName = """
        {"abi":1,"functions":[{"name":"getPerson","result":"Person"},{"name":"addPerson","parameters":[{"name":"p","type":"Person"}]}],
         "types":[{"name":"Person","fields":[{"name":"name","type":"string"}]}]}
        """;

    private const string PersonWithAge = """
        {"abi":1,"functions":[{"name":"getPerson","result":"Person"},{"name":"addPerson","parameters":[{"name":"p","type":"Person"}]}],
         "types":[{"name":"Person","fields":[{"name":"name","type":"string"},{"name":"age","type":"i32"}]}]}
        """;

    [Fact]
    public void SameClassWithIdenticalFields_SharesOneType()
    {
        var schema = new GraphQLTestSchema(("alpha", PersonWithName), ("beta", PersonWithName.Replace("getPerson", "findPerson").Replace("addPerson", "putPerson")));

        Assert.Contains("type Person {\n  name: String!\n}", schema.Sdl);
        Assert.Contains("person: Person\n", schema.Sdl);
        Assert.Contains("findPerson: Person\n", schema.Sdl);
        Assert.Contains("input PersonInput {", schema.Sdl);
        Assert.DoesNotContain("Alpha_", schema.Sdl);
        Assert.Empty(schema.Generated.Notes);
    }

    [Fact]
    public void SameClassWithDifferentFields_BecomesOneTypePerPlugin()
    {
        var schema = new GraphQLTestSchema(("hello", PersonWithName), ("world", PersonWithAge));

        Assert.Contains("type Hello_Person {\n  name: String!\n}", schema.Sdl);
        Assert.Contains("type World_Person {\n  name: String!\n  age: Int!\n}", schema.Sdl);
        Assert.Contains("input Hello_PersonInput {", schema.Sdl);
        Assert.Contains("input World_PersonInput {", schema.Sdl);
        Assert.DoesNotContain("type Person ", schema.Sdl);
        Assert.Contains(schema.Generated.Notes, n => n.Contains("type 'Person' is defined differently by plugins hello, world") && n.Contains("'Hello_Person', 'World_Person'"));
    }

    [Fact]
    public void SameFieldFromTwoPlugins_IsPrefixedWithEachPluginAndDescribed()
    {
        var schema = new GraphQLTestSchema(("hello", PersonWithName), ("hello-world", PersonWithAge));

        Assert.Contains("hello_person: Hello_Person\n", schema.Sdl);
        Assert.Contains("hello_world_person: HelloWorld_Person\n", schema.Sdl);
        Assert.Contains("hello_addPerson(p: Hello_PersonInput!): Void\n", schema.Sdl);
        Assert.Contains("hello_world_addPerson(p: HelloWorld_PersonInput!): Void\n", schema.Sdl);
        Assert.Contains("\"Named 'hello_person', not 'person': plugins hello, hello-world all export 'person'.\"", schema.Sdl);
        Assert.Contains(schema.Generated.Notes, n => n == "field 'person' is exported by plugins hello, hello-world: exposed as 'hello_person', 'hello_world_person'");
        Assert.Contains(schema.Generated.Notes, n => n.StartsWith("field 'addPerson' is exported by plugins hello, hello-world", StringComparison.Ordinal));
    }

    [Fact]
    public void QueryAndMutationWithTheSameName_DoNotCollide()
    {
        var schema = new GraphQLTestSchema(("a", """{"abi":1,"functions":[{"name":"getPost","result":"string"}]}"""), ("b", """{"abi":1,"functions":[{"name":"post","result":"string"}]}"""));

        Assert.Contains("type Query {\n  post: String\n}", schema.Sdl);
        Assert.Contains("type Mutation {\n  post: String\n}", schema.Sdl);
        Assert.Empty(schema.Generated.Notes);
    }

    [Fact]
    public void ConventionalNamesMeetingInOnePlugin_KeepTheirOwnNames()
    {
        var schema = new GraphQLTestSchema(("p", """{"abi":1,"functions":[{"name":"getPerson","result":"string"},{"name":"person","result":"string"},{"name":"listPeople","result":"string"}]}"""));

        Assert.Contains("getPerson: String\n", schema.Sdl);
        Assert.Contains("person: String\n", schema.Sdl);
        Assert.Contains("people: String\n", schema.Sdl);
        Assert.Contains(schema.Generated.Notes, n => n.Contains("getPerson, person") && n.Contains("'person'"));
    }

    [Fact]
    public void SharedTypeUsingASplitType_IsSplitToo()
    {
        const string personAt = """
            {"abi":1,"functions":[{"name":"NAME","result":"Person"}],
             "types":[{"name":"Person","fields":[{"name":"home","type":"Place"}]},{"name":"Place","fields":[{"name":"lat","type":"f64"}]}]}
            """;
        var schema = new GraphQLTestSchema(
            ("a", personAt.Replace("NAME", "who")),
            ("b", personAt.Replace("NAME", "whom")),
            ("c", """{"abi":1,"functions":[{"name":"where","result":"Place"}],"types":[{"name":"Place","fields":[{"name":"name","type":"string"}]}]}"""));

        Assert.Contains("type A_Person {\n  home: A_Place!\n}", schema.Sdl);
        Assert.Contains("type B_Person {\n  home: B_Place!\n}", schema.Sdl);
        Assert.Contains("type C_Place {\n  name: String!\n}", schema.Sdl);
        Assert.Contains(schema.Generated.Notes, n => n.Contains("type 'Person' (plugins a, b)") && n.Contains("'Place'"));
    }

    [Fact]
    public void NestedClassesThatDiffer_MakeTheOuterClassesDiffer()
    {
        const string withPlace = """
            {"abi":1,"functions":[{"name":"NAME","result":"Person"}],
             "types":[{"name":"Person","fields":[{"name":"home","type":"Place?"}]},{"name":"Place","fields":[{"name":"lat","type":"TYPE"}]}]}
            """;
        var schema = new GraphQLTestSchema(
            ("a", withPlace.Replace("NAME", "who").Replace("TYPE", "f64")),
            ("b", withPlace.Replace("NAME", "whom").Replace("TYPE", "f32?")));

        Assert.Contains("type A_Person {\n  home: A_Place\n}", schema.Sdl);
        Assert.Contains("type B_Place {\n  lat: Float\n}", schema.Sdl);
    }

    [Fact]
    public void GeneratedNameTakenByAnotherClass_GetsANumberedSuffix()
    {
        var schema = new GraphQLTestSchema(
            ("hello", PersonWithName),
            ("other", """{"abi":1,"functions":[{"name":"odd","result":"Hello_Person"}],"types":[{"name":"Hello_Person","fields":[{"name":"x","type":"i32"}]}]}"""),
            ("world", PersonWithAge));

        Assert.Contains("type Hello_Person {\n  name: String!\n}", schema.Sdl);
        Assert.Contains("odd: Hello_Person_2\n", schema.Sdl);
        Assert.Contains(schema.Generated.Notes, n => n.Contains("'Hello_Person_2'"));
    }
}
