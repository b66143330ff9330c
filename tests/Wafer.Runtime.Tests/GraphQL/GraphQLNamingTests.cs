using Wafer.GraphQL;

namespace Wafer.Runtime.Tests.GraphQL;

public sealed class GraphQLNamingTests
{
    [Theory]
    [InlineData("addPost")]
    [InlineData("add")]
    [InlineData("AddPost")]
    [InlineData("ADD")]
    [InlineData("add_post")]
    [InlineData("add2")]
    [InlineData("mutateThing")]
    [InlineData("postComment")]
    [InlineData("patchUser")]
    [InlineData("putFile")]
    [InlineData("deleteUser")]
    [InlineData("updateUser")]
    [InlineData("insertRow")]
    [InlineData("upsertRow")]
    [InlineData("createUser")]
    [InlineData("editPost")]
    [InlineData("savePost")]
    [InlineData("removeUser")]
    [InlineData("alterTable")]
    [InlineData("modifyUser")]
    [InlineData("startJob")]
    [InlineData("stopJob")]
    [InlineData("stop")]
    public void IsMutation_MutationPrefixNotFollowedByLowercase_IsMutation(string name) =>
        Assert.True(GraphQLNaming.IsMutation(name));

    [Theory]
    [InlineData("additionalPosts")]
    [InlineData("getPerson")]
    [InlineData("sayHello")]
    [InlineData("poster")]
    [InlineData("started")]
    [InlineData("editor")]
    [InlineData("person")]
    public void IsMutation_NoPrefixOrPrefixRunsIntoAWord_IsQuery(string name) =>
        Assert.False(GraphQLNaming.IsMutation(name));

    [Theory]
    [InlineData("getPerson", "person")]
    [InlineData("listPeople", "people")]
    [InlineData("sayHello", "sayHello")]
    [InlineData("SayHello", "sayHello")]
    [InlineData("getter", "getter")]
    [InlineData("listen", "listen")]
    [InlineData("GetPerson", "getPerson")]
    [InlineData("get", "get")]
    [InlineData("list", "list")]
    [InlineData("get2", "get2")]
    [InlineData("get_person", "_person")]
    [InlineData("get__person", "get__person")]
    [InlineData("getURL", "uRL")]
    [InlineData("addPost", "addPost")]
    public void FieldName_FollowsModusConvention(string function, string field) =>
        Assert.Equal(field, GraphQLNaming.FieldName(function));

    [Theory]
    [InlineData("_internal", true)]
    [InlineData("__x", true)]
    [InlineData("internal", false)]
    public void IsHidden_UnderscorePrefix_IsHidden(string name, bool hidden) =>
        Assert.Equal(hidden, GraphQLNaming.IsHidden(name));

    [Theory]
    [InlineData("hello", "Hello", "hello")]
    [InlineData("hello-world", "HelloWorld", "hello_world")]
    [InlineData("my_app", "MyApp", "my_app")]
    [InlineData("2fa", "_2fa", "_2fa")]
    public void PluginPrefixes_AreValidGraphQLNames(string plugin, string pascal, string camel)
    {
        Assert.Equal(pascal, GraphQLNaming.PluginPascal(plugin));
        Assert.Equal(camel, GraphQLNaming.PluginCamel(plugin));
    }
}
