using System.Text;
using Wafer.Protocol.Metadata;

namespace Wafer.Runtime.Tests.Protocol;

public sealed class MetadataReaderTests
{
    private static PluginMetadata Parse(string json) => MetadataReader.Parse(Encoding.UTF8.GetBytes(json));

    [Fact]
    public void Parse_ValidMetadata_ReadsFunctionsAndTypesInOrder()
    {
        var metadata = Parse("""
            {"abi":1,"sdk":"test/1","functions":[
              {"name":"greet","parameters":[{"name":"name","type":"string"}],"result":"string","doc":"Says hi"},
              {"name":"people","result":"Person[]"}],
             "types":[{"name":"Person","fields":[{"name":"name","type":"string"},{"name":"age","type":"i32?"}]}]}
            """);
        Assert.Equal("test/1", metadata.Sdk);
        Assert.Equal(["greet", "people"], metadata.Functions.Select(f => f.Name));
        Assert.Equal(1, metadata.Functions[1].Index);
        Assert.Equal("Says hi", metadata.Functions[0].Doc);
        Assert.Equal("Person[]", metadata.Functions[1].Result.ToString());
        Assert.Empty(metadata.Functions[1].Parameters);
        Assert.True(metadata.FindType("Person")!.Fields[1].Type.IsNullable);
    }

    [Fact]
    public void Parse_MissingResult_MeansVoid() =>
        Assert.Equal(WasmTypeKind.Void, Parse("""{"abi":1,"functions":[{"name":"run"}]}""").Functions[0].Result.Kind);

    [Theory]
    [InlineData("not json", "not valid JSON")]
    [InlineData("""{"functions":[]}""", "$.abi is missing")]
    [InlineData("""{"abi":2,"functions":[]}""", "$.abi is 2")]
    [InlineData("""{"abi":1}""", "$.functions is missing")]
    [InlineData("""{"abi":1,"functions":[{"name":"a-b"}]}""", "$.functions[0].name must match")]
    [InlineData("""{"abi":1,"functions":[{"name":"a"},{"name":"a"}]}""", "function 'a' is defined twice")]
    [InlineData("""{"abi":1,"functions":[{"name":"a","result":"Ghost"}]}""", "$.functions[0].result: type 'Ghost' is not defined")]
    [InlineData("""{"abi":1,"functions":[{"name":"a","parameters":[{"name":"x","type":"void"}]}]}""", "a parameter cannot be void")]
    [InlineData("""{"abi":1,"functions":[{"name":"a","parameters":[{"name":"x","type":"i32"},{"name":"x","type":"i32"}]}]}""", "parameter 'x' appears twice")]
    [InlineData("""{"abi":1,"functions":[],"types":[{"name":"T","fields":[{"name":"f","type":"i33"}]}]}""", "$.types[0].fields[0].type")]
    public void Parse_InvalidMetadata_NamesThePath(string json, string fragment)
    {
        var error = Assert.Throws<MetadataException>(() => Parse(json));
        Assert.Contains(fragment, error.Message);
    }
}
