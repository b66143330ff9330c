using System.Buffers;
using System.Net;
using System.Text;
using Wafer.Protocol.Metadata;
using Wafer.Runtime.Invocation;
using Wafer.Runtime.Tests.Support;

namespace Wafer.Runtime.Tests.Invocation;

/// <summary>
/// One rule for binding arguments: JSON numbers by value (an integral value in range binds to an integer type
/// whatever its spelling and reaches the guest plainly spelled; out of range or non-finite is a 400 naming the
/// argument), and strings must be valid Unicode.
/// </summary>
public sealed class NumberAndTextRuleTests
{
    private static readonly PluginMetadata Metadata = MetadataReader.Parse("""
        {"abi":1,"functions":[
          {"name":"ints","parameters":[{"name":"a","type":"i32"},{"name":"b","type":"u8"}],"result":"i32"},
          {"name":"wide","parameters":[{"name":"a","type":"i64"},{"name":"b","type":"u64"}],"result":"i64"},
          {"name":"float","parameters":[{"name":"x","type":"f64"},{"name":"y","type":"f32"}],"result":"f64"},
          {"name":"text","parameters":[{"name":"s","type":"string"}],"result":"string"},
          {"name":"list","parameters":[{"name":"xs","type":"i32[]"},{"name":"p","type":"Point"}],"result":"void"}],
         "types":[{"name":"Point","fields":[{"name":"x","type":"i32"},{"name":"label","type":"string?"}]}]}
        """u8);

    private static (string? Error, string Json) Bind(string function, byte[] body)
    {
        var output = new ArrayBufferWriter<byte>();
        var error = ArgumentBinder.Bind(body, Metadata.Functions.Single(f => f.Name == function), Metadata, output);
        return (error, Encoding.UTF8.GetString(output.WrittenSpan));
    }

    private static (string? Error, string Json) Bind(string function, string body) => Bind(function, Encoding.UTF8.GetBytes(body));

    [Theory]
    [InlineData("""{"a":1e2,"b":-0}""", "[100,0]")]
    [InlineData("""{"a":100.0,"b":2.50e1}""", "[100,25]")]
    [InlineData("""{"a":-2147483648,"b":255}""", "[-2147483648,255]")]
    [InlineData("""{"a":-21474836.48e2,"b":0.0255e4}""", "[-2147483648,255]")]
    [InlineData("""{"a":0e999999,"b":-0.0}""", "[0,0]")]
    public void IntegralValues_BindWhateverTheirSpelling_AndReachTheGuestPlainly(string body, string expected)
    {
        Assert.Equal((null, expected), Bind("ints", body));
    }

    [Fact]
    public void IntegralValues_FullWidth_Bind()
    {
        Assert.Equal((null, "[-9223372036854775808,18446744073709551615]"), Bind("wide", """{"a":-9.223372036854775808e18,"b":1.8446744073709551615e19}"""));
    }

    [Theory]
    [InlineData("""{"a":1.5,"b":1}""", "argument 'a' must be an integer from -2147483648 to 2147483647 (i32), got 1.5")]
    [InlineData("""{"a":2147483648,"b":1}""", "argument 'a' must be an integer from -2147483648 to 2147483647 (i32), got 2147483648")]
    [InlineData("""{"a":1e400,"b":1}""", "argument 'a' must be an integer from -2147483648 to 2147483647 (i32), got 1e400")]
    [InlineData("""{"a":1.0000000000000000000000000001,"b":1}""", "argument 'a' must be an integer from -2147483648 to 2147483647 (i32), got 1.0000000000000000000000000001")]
    [InlineData("""{"a":1e-400,"b":1}""", "argument 'a' must be an integer from -2147483648 to 2147483647 (i32), got 1e-400")]
    [InlineData("""{"a":1,"b":-1}""", "argument 'b' must be an integer from 0 to 255 (u8), got -1")]
    [InlineData("""{"a":1,"b":2.56e2}""", "argument 'b' must be an integer from 0 to 255 (u8), got 2.56e2")]
    public void NonIntegralOrOutOfRange_IsRefusedNamingTheArgument(string body, string expected)
    {
        Assert.Equal(expected, Bind("ints", body).Error);
    }

    [Theory]
    [InlineData("""{"x":1e400,"y":1}""", "argument 'x' must be a finite number within f64's range, got 1e400")]
    [InlineData("""{"x":-1e309,"y":1}""", "argument 'x' must be a finite number within f64's range, got -1e309")]
    [InlineData("""{"x":1,"y":3.5e38}""", "argument 'y' must be a finite number within f32's range, got 3.5e38")]
    public void NonFiniteFloat_IsRefused(string body, string expected)
    {
        Assert.Equal(expected, Bind("float", body).Error);
    }

    [Fact]
    public void FiniteFloats_BindAsWritten()
    {
        Assert.Equal((null, "[1e300,-0]"), Bind("float", """{"x":1e300,"y":-0}"""));
    }

    [Fact]
    public void InvalidUtf8InAString_IsRefused()
    {
        byte[] body = [.. "{\"s\":\"a"u8, 0xC3, 0x28, .. "b\"}"u8];
        Assert.Equal("argument 's' must be valid Unicode text: invalid UTF-8, or a \\u escape naming a lone surrogate", Bind("text", body).Error);
    }

    [Theory]
    [InlineData("""{"s":"\ud800"}""")]
    [InlineData("""{"s":"x\udc00y"}""")]
    [InlineData("""{"s":"\ud800\u0041"}""")]
    [InlineData("""{"s":"\ud800"""+"\\\"\"}")]
    public void LoneSurrogateEscape_IsRefused(string body)
    {
        Assert.Equal("argument 's' must be valid Unicode text: invalid UTF-8, or a \\u escape naming a lone surrogate", Bind("text", body).Error);
    }

    [Theory]
    [InlineData("""{"s":"\ud83d\ude00 \n \u00e9"}""")]
    [InlineData("""{"s":"plain é 😀"}""")]
    public void ValidText_Binds(string body)
    {
        Assert.Null(Bind("text", body).Error);
    }

    [Fact]
    public void NestedIntegers_AreRespelledForTheGuest()
    {
        Assert.Equal((null, """[[1,20,0],{"x":3,"label":"é"}]"""),
            Bind("list", """{"xs":[1,2e1,-0.0e5],"p":{"x":0.3e1,"label":"\u00e9"}}"""));
        Assert.Equal("argument 'p'.x must be an integer from -2147483648 to 2147483647 (i32), got 0.35e1",
            Bind("list", """{"xs":[],"p":{"x":0.35e1}}""").Error);
        Assert.Equal("argument 'xs'[1] must be an integer from -2147483648 to 2147483647 (i32), got 1e10",
            Bind("list", """{"xs":[1,1e10],"p":{"x":1}}""").Error);
    }

    /// <summary>Over HTTP to a real guest: these once answered a 500 or reached the guest mangled.</summary>
    [Fact]
    public async Task OverHttp_TheRuleAnswers400sAndTheGuestSeesPlainIntegers()
    {
        await using var server = await RuntimeServer.StartAsync(["c-calc"]);

        async Task<(HttpStatusCode Status, JsonElement Body)> Call(string function, byte[] body)
        {
            using var content = new ByteArrayContent(body);
            content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
            using var response = await server.Client.PostAsync("/functions/" + function, content);
            return (response.StatusCode, JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone());
        }

        var (status, body) = await Call("greet", """{"name":"\ud800"}"""u8.ToArray());
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("argument 'name' must be valid Unicode text", body.GetProperty("detail").GetString(), StringComparison.Ordinal);

        (status, body) = await Call("greet", [.. "{\"name\":\"a"u8, 0xFF, .. "\"}"u8]);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("argument 'name' must be valid Unicode text", body.GetProperty("detail").GetString(), StringComparison.Ordinal);

        (status, body) = await Call("add", """{"a":1e2,"b":-0}"""u8.ToArray());
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(100, body.GetProperty("result").GetInt32());

        (status, body) = await Call("sum", """{"values":[1,1e400]}"""u8.ToArray());
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("argument 'values'[1] must be a finite number within f64's range, got 1e400", body.GetProperty("detail").GetString());
    }
}
