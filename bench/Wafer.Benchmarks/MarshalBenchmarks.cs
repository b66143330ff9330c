using System.Buffers;
using BenchmarkDotNet.Attributes;
using Wafer.Protocol.Metadata;
using Wafer.Runtime.Invocation;

namespace Wafer.Benchmarks;

/// <summary>Host-side marshalling: binding named JSON arguments (a string, an object, numbers) to the ABI array.</summary>
[MemoryDiagnoser]
public class MarshalBenchmarks
{
    private static readonly PluginMetadata Metadata = MetadataReader.Parse("""
        {"abi":1,"functions":[
          {"name":"greet","parameters":[{"name":"name","type":"string"}],"result":"string"},
          {"name":"save","parameters":[{"name":"person","type":"Person"}],"result":"Person"},
          {"name":"scale","parameters":[{"name":"count","type":"i32"},{"name":"factor","type":"f64"}],"result":"f64"}],
         "types":[{"name":"Person","fields":[{"name":"name","type":"string"},{"name":"age","type":"i32"},{"name":"tags","type":"string[]"}]}]}
        """u8);

    private static readonly byte[] StringBody = """{"name":"world"}"""u8.ToArray();
    private static readonly byte[] ObjectBody = """{"person":{"name":"Ada","age":36,"tags":["math","engines"]}}"""u8.ToArray();
    private static readonly byte[] NumbersBody = """{"count":42,"factor":1.5}"""u8.ToArray();
    private readonly ArrayBufferWriter<byte> _output = new(256);

    [Benchmark(Description = "bind a string argument")]
    public string? BindString()
    {
        _output.ResetWrittenCount();
        return ArgumentBinder.Bind(StringBody, Metadata.Functions[0], Metadata, _output);
    }

    [Benchmark(Description = "bind an object argument")]
    public string? BindObject()
    {
        _output.ResetWrittenCount();
        return ArgumentBinder.Bind(ObjectBody, Metadata.Functions[1], Metadata, _output);
    }

    [Benchmark(Description = "bind an integer and a float")]
    public string? BindNumbers()
    {
        _output.ResetWrittenCount();
        return ArgumentBinder.Bind(NumbersBody, Metadata.Functions[2], Metadata, _output);
    }
}
