using System.Buffers;
using BenchmarkDotNet.Attributes;
using Wafer.Protocol.Calls;

namespace Wafer.Benchmarks;

/// <summary>
/// What the call protocol's framing costs a hello call (docs/call-protocol.md): the gateway writes a call and reads an
/// answer, the runtime reads the call and writes the answer.
/// </summary>
[MemoryDiagnoser]
public class CallFramesBenchmarks
{
    private static readonly byte[] Body = """{"name":"Ada"}"""u8.ToArray();
    private static readonly byte[] Result = """{"result":"Hello, Ada!"}"""u8.ToArray();
    private readonly ArrayBufferWriter<byte> _writer = new(256);
    private ReadOnlySequence<byte> _call;
    private ReadOnlySequence<byte> _answer;

    [GlobalSetup]
    public void Setup()
    {
        var call = new ArrayBufferWriter<byte>();
        CallFrames.WriteCall(call, 7, "hello", "greet", Body);
        _call = new ReadOnlySequence<byte>(call.WrittenMemory.ToArray());
        var answer = new ArrayBufferWriter<byte>();
        CallFrames.WriteAnswerHead(answer, 7, CallStatus.Ok, "67d0dd-2a", "application/json", Result.Length);
        answer.Write(Result);
        _answer = new ReadOnlySequence<byte>(answer.WrittenMemory.ToArray());
    }

    [Benchmark(Description = "write a call")]
    public int WriteCall()
    {
        _writer.ResetWrittenCount();
        CallFrames.WriteCall(_writer, 7, "hello", "greet", Body);
        return _writer.WrittenCount;
    }

    [Benchmark(Description = "read a call")]
    public int ReadCall()
    {
        var buffer = _call;
        CallFrames.TryRead(ref buffer, CallFrames.MaxCallFrameBytes, out _, out var payload);
        var (plugin, function, _, body) = CallFrames.ReadCall(payload);
        return plugin.Length + function.Length + (int)body.Length;
    }

    [Benchmark(Description = "write an answer")]
    public int WriteAnswer()
    {
        _writer.ResetWrittenCount();
        CallFrames.WriteAnswerHead(_writer, 7, CallStatus.Ok, "67d0dd-2a", "application/json", Result.Length);
        _writer.Write(Result);
        return _writer.WrittenCount;
    }

    [Benchmark(Description = "read an answer")]
    public int ReadAnswer()
    {
        var buffer = _answer;
        CallFrames.TryRead(ref buffer, CallFrames.MaxFrameBytes, out _, out var payload);
        var (status, _, callId, contentType, body) = CallFrames.ReadAnswer(payload);
        return status + callId!.Length + contentType.Length + (int)body.Length;
    }
}
