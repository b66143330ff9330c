using System.Buffers;
using System.Text;
using Wafer.Protocol.Metadata;
using Wafer.Runtime.Invocation;

namespace Wafer.Runtime.Tests.Invocation;

public sealed class ArgumentBinderTests
{
    private static readonly PluginMetadata Metadata = MetadataReader.Parse("""
        {"abi":1,"functions":[
          {"name":"greet","parameters":[{"name":"name","type":"string"},{"name":"times","type":"u8"},{"name":"note","type":"string?"}],"result":"string"},
          {"name":"save","parameters":[{"name":"person","type":"Person"}],"result":"void"},
          {"name":"ping"},
          {"name":"repeat","parameters":[{"name":"text","type":"string","default":"hi"},{"name":"times","type":"i32","default":3},{"name":"note","type":"string?","default":null}],"result":"string"}],
         "types":[
          {"name":"Person","fields":[{"name":"name","type":"string"},{"name":"tags","type":"string[]"},{"name":"home","type":"Place?"}]},
          {"name":"Place","fields":[{"name":"lat","type":"f64"}]}]}
        """u8);

    private static (string? Error, string Json) Bind(string function, string body)
    {
        var output = new ArrayBufferWriter<byte>();
        var error = ArgumentBinder.Bind(Encoding.UTF8.GetBytes(body), Metadata.Functions.Single(f => f.Name == function), Metadata, output);
        return (error, Encoding.UTF8.GetString(output.WrittenSpan));
    }

    [Fact]
    public void Bind_NamedArguments_BecomePositionalWithNullForMissingNullable()
    {
        var (error, json) = Bind("greet", """{"times": 3, "name": "Zoë \"Z\""}""");
        Assert.Null(error);
        Assert.Equal("""["Zoë \"Z\"",3,null]""", json);
    }

    [Fact]
    public void Bind_MissingArgumentsWithDefaults_GetTheirDefaults_EvenWhenNotNullable()
    {
        Assert.Equal((null, """["hi",3,null]"""), Bind("repeat", ""));
        Assert.Equal((null, """["hi",3,null]"""), Bind("repeat", "{}"));
        Assert.Equal((null, """["yo",3,null]"""), Bind("repeat", """{"text":"yo"}"""));
        Assert.Equal((null, """["hi",5,"n"]"""), Bind("repeat", """{"times":5,"note":"n"}"""));
        Assert.Equal("argument 'times' must be an integer (i32), got a string", Bind("repeat", """{"times":"5"}""").Error);
    }

    [Fact]
    public void Metadata_DefaultOfTheWrongKind_IsRefusedNamingIt()
    {
        var error = Assert.Throws<MetadataException>(() => MetadataReader.Parse(
            """{"abi":1,"functions":[{"name":"f","parameters":[{"name":"n","type":"i32","default":"three"}],"result":"i32"}],"types":[]}"""u8));
        Assert.Equal("$.functions[0].parameters[0].default: String is not a value of type i32", error.Message);
        Assert.Throws<MetadataException>(() => MetadataReader.Parse(
            """{"abi":1,"functions":[{"name":"f","parameters":[{"name":"n","type":"string","default":null}],"result":"i32"}],"types":[]}"""u8));
    }

    [Fact]
    public void Metadata_Defaults_SurviveWritingAndReading()
    {
        var again = MetadataReader.Parse(MetadataWriter.Write(Metadata));
        var parameters = again.Functions.Single(f => f.Name == "repeat").Parameters;
        Assert.Equal(["\"hi\"", "3", "null"], parameters.Select(p => p.Default!.Value.GetRawText()));
        Assert.Null(again.Functions.Single(f => f.Name == "greet").Parameters[0].Default);
    }

    [Fact]
    public void Bind_EmptyBody_IsNoArguments()
    {
        Assert.Equal((null, "[]"), Bind("ping", ""));
        Assert.Contains("missing argument 'name' (string)", Bind("greet", "  ").Error);
    }

    [Fact]
    public void Bind_NestedObject_IsCheckedFieldByField()
    {
        Assert.Null(Bind("save", """{"person":{"name":"a","tags":["x"],"home":{"lat":1.5}}}""").Error);
        Assert.Null(Bind("save", """{"person":{"name":"a","tags":[]}}""").Error);
        Assert.Equal("argument 'person'.tags[1] must be a string, got a number",
            Bind("save", """{"person":{"name":"a","tags":["x",2]}}""").Error);
        Assert.Equal("argument 'person'.home.lat must be a number (f64), got a string",
            Bind("save", """{"person":{"name":"a","tags":[],"home":{"lat":"north"}}}""").Error);
        Assert.StartsWith("argument 'person'.age is not a field of Person",
            Bind("save", """{"person":{"name":"a","tags":[],"age":3}}""").Error);
        Assert.Equal("argument 'person'.tags is missing (string[])", Bind("save", """{"person":{"name":"a"}}""").Error);
    }

    [Theory]
    [InlineData("""{"name":"a","times":256}""", "argument 'times' must be an integer from 0 to 255 (u8), got 256")]
    [InlineData("""{"name":"a","times":-1}""", "argument 'times' must be an integer from 0 to 255 (u8), got -1")]
    [InlineData("""{"name":"a","times":1.5}""", "argument 'times' must be an integer from 0 to 255 (u8), got 1.5")]
    [InlineData("""{"name":1,"times":1}""", "argument 'name' must be a string, got a number")]
    [InlineData("""{"times":1}""", "missing argument 'name' (string): greet takes (name: string, times: u8, note: string?)")]
    [InlineData("""{"name":"a","times":1,"extra":true}""", "unknown argument 'extra': greet takes (name: string, times: u8, note: string?)")]
    [InlineData("""["a",1]""", "arguments must be a JSON object of named arguments")]
    [InlineData("""{"name":"a",""", "request body is not valid JSON")]
    [InlineData("""{"name":"a","times":1} {}""", "request body is not valid JSON: '{' is invalid after a single JSON value")]
    public void Bind_BadArguments_SayWhatIsWrong(string body, string expected) =>
        Assert.StartsWith(expected, Bind("greet", body).Error);

    [Theory]
    [InlineData("""{"name":"plain","times":7}""")]
    [InlineData("""{ "times" : 0 , "name" : "Zoë ☃ <b>&'", "note" : null }""")]
    [InlineData("""{"note":"n","name":"x","times":255}""")]
    [InlineData("""{"name":"tab\tand \"quotes\" \u00e9","times":1}""")]
    [InlineData("""{"name":"a","times":1,"name":"b"}""")]
    public void Bind_ScalarArguments_WriteWhatTheGeneralPathWrites(string body)
    {
        var function = Metadata.Functions.Single(f => f.Name == "greet");
        var general = new ArrayBufferWriter<byte>();
        using var document = System.Text.Json.JsonDocument.Parse(body);
        Assert.Null(ArgumentBinder.Bind(document.RootElement, function, Metadata, general));

        var (error, json) = Bind("greet", body);
        Assert.Null(error);
        Assert.Equal(Encoding.UTF8.GetString(general.WrittenSpan), json);
    }
}
