namespace Wafer.Runtime.Tests.GraphQL;

/// <summary>
/// Variables follow the rule REST arguments follow (docs/abi.md): JSON numbers by value, so an integral number binds
/// to an integer type however it is written, and anything else is refused naming the variable. Against the C guest
/// c-calc: add(a: i32, b: i32), repeat(text: string, times: i32), negate(value: i64).
/// </summary>
public sealed class GraphQLVariableNumberTests
{
    [Theory]
    [InlineData("1e2", "-0", 100)]
    [InlineData("1.0E1", "2.0", 12)]
    [InlineData("100", "0", 100)]
    public async Task IntegralNumbers_BindToInt_HoweverWritten(string a, string b, int sum)
    {
        await using var host = await GraphQLHost.StartAsync();
        host.Load("c-calc");

        var (_, body) = await host.PostAsync(
            $$$"""{"query":"mutation($a: Int!, $b: Int!) { add(a: $a, b: $b) }","variables":{"a":{{{a}}},"b":{{{b}}}}}""");

        Assert.Equal($$$"""{"data":{"add":{{{sum}}}}}""", body);
    }

    [Fact]
    public async Task IntegralNumbers_BindToInt64_AndInsideLists()
    {
        await using var host = await GraphQLHost.StartAsync();
        host.Load("c-calc");

        var (_, body) = await host.PostAsync(
            """{"query":"query($v: Int64!, $t: Int!) { negate(value: $v) repeat(text: \"ab\", times: $t) }","variables":{"v":1e15,"t":2e0}}""");

        Assert.Equal("""{"data":{"negate":-1000000000000000,"repeat":["ab","ab"]}}""", body);
    }

    [Theory]
    [InlineData("2.5")]
    [InlineData("3e9")]
    [InlineData("\"7\"")]
    public async Task NotAnIntegerInRange_RefusedNamingTheVariable_NothingCalled(string a)
    {
        await using var host = await GraphQLHost.StartAsync();
        host.Load("c-calc");

        var (response, body) = await host.PostAsync(
            $$$"""{"query":"mutation($a: Int!) { add(a: $a, b: 1) }","variables":{"a":{{{a}}}}}""");

        Assert.Equal(System.Net.HttpStatusCode.BadRequest, response.StatusCode);
        var message = JsonDocument.Parse(body).RootElement.GetProperty("errors")[0].GetProperty("message").GetString();
        Assert.Contains("Variable '$a' is invalid", message, StringComparison.Ordinal);
        Assert.Equal(0, host.Counters.Completed);
    }
}
