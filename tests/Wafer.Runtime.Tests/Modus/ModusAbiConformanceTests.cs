using Wafer.Runtime.Modus.Host;
using Wafer.Runtime.Tests.Support;

namespace Wafer.Runtime.Tests.Modus;

/// <summary>
/// Modus's own ABI conformance module (as-testdata, rebuilt and prebuilt): every <c>test…Output…</c> result is
/// fed to its <c>test…Input…</c> twin, whose guest code asserts the value, over REST and over GraphQL.
/// </summary>
public sealed class ModusAbiConformanceTests : IAsyncLifetime
{
    private RuntimeServer _server = null!;

    public async ValueTask InitializeAsync()
    {
        _server = await RuntimeServer.StartAsync([], services: s => s.AddSingleton<IModusHostModule, TestHostModule>());
        ModusFixtures.Copy("as-testdata", _server.PluginsPath, "testdata");
        ModusFixtures.Copy("prebuilt-as-testdata", _server.PluginsPath, "prebuilt");
        await _server.Services.GetRequiredService<Wafer.Runtime.Catalog.PluginReloader>().ScanAsync();
    }

    public async ValueTask DisposeAsync() => await _server.DisposeAsync();

    [Theory]
    [InlineData("testdata")]
    [InlineData("prebuilt")]
    public async Task HostFunctions_MarshalScalarsStringsAndObjects(string plugin)
    {
        var (_, body) = await _server.PostJsonAsync($"/functions/{plugin}/add", """{"a":1,"b":2}""");
        Assert.Equal(3, body.GetProperty("result").GetInt32());
        (_, body) = await _server.PostJsonAsync($"/functions/{plugin}/echo", """{"message":"hello"}""");
        Assert.Equal("echo: hello", body.GetProperty("result").GetString());
        (_, body) = await _server.PostJsonAsync($"/functions/{plugin}/echoObject", """{"obj":{"a":1,"b":true,"c":"hello"}}""");
        Assert.Equal("""{"a":2,"b":false,"c":"hello!"}""", body.GetProperty("result").GetRawText());
    }

    [Theory]
    [InlineData("testdata")]
    [InlineData("prebuilt")]
    public async Task EveryOutput_FedToItsInput_PassesTheGuestsAssertions(string plugin)
    {
        var metadata = _server.Catalog.Current.PluginsByName[plugin].Metadata;
        var names = metadata.Functions.Select(f => f.Name).ToHashSet();
        var failures = new List<string>();
        var run = 0;
        foreach (var input in metadata.Functions.Where(f => f.Name.Contains("Input") && f.Parameters.Count == 1))
        {
            var output = input.Name.Replace("Input", "Output", StringComparison.Ordinal);
            if (!names.Contains(output))
            {
                continue;
            }

            var (response, produced) = await _server.PostJsonAsync($"/functions/{plugin}/{output}", "{}");
            if (!response.IsSuccessStatusCode)
            {
                failures.Add($"{output}: {(int)response.StatusCode} {produced}");
                continue;
            }

            if (input.Name.StartsWith("testRecursive", StringComparison.Ordinal))
            {
                continue; // a cycle, cut at depth 5 as Modus did: not the value the guest built
            }

            var argument = $"{{\"{input.Parameters[0].Name}\":{produced.GetProperty("result").GetRawText()}}}";
            (response, var consumed) = await _server.PostJsonAsync($"/functions/{plugin}/{input.Name}", argument);
            run++;
            if (!response.IsSuccessStatusCode)
            {
                failures.Add($"{input.Name}({argument}): {(int)response.StatusCode} {consumed}");
            }
        }

        Assert.Empty(failures);
        Assert.Equal(70, run);
    }

    [Fact]
    public async Task OutputsOfEveryKind_HaveTheValuesModusGave()
    {
        async Task<string> Result(string function) => (await _server.PostJsonAsync($"/functions/testdata/{function}", "{}")).Body.GetProperty("result").GetRawText();

        Assert.Equal("""{"a":true,"b":{"a":true,"b":123,"c":"abc"}}""", await Result("testClassOutput5"));
        Assert.Equal("""[{"key":"a","value":"1"},{"key":"b","value":"2"},{"key":"c","value":"3"}]""", await Result("testMapOutput_string_string"));
        Assert.Equal("-9223372036854775808", await Result("testI64Output_min"));
        Assert.Equal("18446744073709551615", await Result("testU64Output_max"));
        Assert.Equal("\"2024-12-31T23:59:59.999Z\"", await Result("testDateOutput"));
        Assert.Equal("null", await Result("testNullStringOutput_null"));
    }

    [Fact]
    public async Task NegativeControl_AWrongValue_AbortsWithTheGuestsAssertion()
    {
        var (response, problem) = await _server.PostJsonAsync("/functions/testdata/testStringInput", """{"s":"wrong"}""");
        Assert.Equal(500, (int)response.StatusCode);
        Assert.Equal("abort", problem.GetProperty("cause").GetString());
    }

    [Fact]
    public async Task GraphQL_MapsClassesDatesAndWideIntegers_RoundTrip()
    {
        var result = await _server.GraphQLAsync("""
            query {
              m: testdata_testMapOutput_string_string { key value }
              c: testdata_testClassOutput5 { a b { a b c } }
              d: testdata_testDateOutput
              i: testdata_testI64Output_min
            }
            """);
        var data = result.GetProperty("data");
        Assert.Equal("""[{"key":"a","value":"1"},{"key":"b","value":"2"},{"key":"c","value":"3"}]""", data.GetProperty("m").GetRawText());
        var back = await _server.GraphQLAsync("""
            query($m: [StringStringPairInput!]!, $c: TestClass5Input!, $d: Timestamp!, $i: Int64!) {
              m: testdata_testMapInput_string_string(m: $m)
              c: testdata_testClassInput5(o: $c)
              d: testdata_testDateInput(d: $d)
              i: testdata_testI64Input_min(n: $i)
            }
            """, new
        {
            m = JsonSerializer.Deserialize<JsonElement>(data.GetProperty("m").GetRawText()),
            c = JsonSerializer.Deserialize<JsonElement>(data.GetProperty("c").GetRawText()),
            d = data.GetProperty("d").GetString(),
            i = data.GetProperty("i").GetInt64(),
        });
        Assert.False(back.TryGetProperty("errors", out var errors), errors.ToString());
    }
}
