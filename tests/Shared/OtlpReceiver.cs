using System.Collections.Concurrent;
using Google.Protobuf;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Wafer.Tests.Shared;

/// <summary>
/// An OTLP/HTTP trace receiver on 127.0.0.1 (<c>POST /v1/traces</c>, <c>application/x-protobuf</c>), standing in for
/// a collector: it decodes each <c>ExportTraceServiceRequest</c> with Google.Protobuf's wire reader, by the field
/// numbers of opentelemetry-proto's trace and common messages, and keeps every span with its service's name.
/// </summary>
public sealed class OtlpReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;

    private OtlpReceiver(WebApplication app, string origin)
    {
        _app = app;
        Origin = origin;
    }

    /// <summary><c>http://127.0.0.1:PORT</c>, what <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> takes.</summary>
    public string Origin { get; }

    public string TracesUrl => Origin + "/v1/traces";

    public ConcurrentQueue<ReceivedSpan> Spans { get; } = new();

    /// <summary>Export requests received, spans or not.</summary>
    public int Exports => _exports;

    private int _exports;

    public static async Task<OtlpReceiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        OtlpReceiver? receiver = null;
        app.MapPost("/v1/traces", async (HttpContext context) =>
        {
            using var buffer = new MemoryStream();
            await context.Request.Body.CopyToAsync(buffer);
            Interlocked.Increment(ref receiver!._exports);
            foreach (var span in Decode(buffer.ToArray()))
            {
                receiver.Spans.Enqueue(span);
            }

            context.Response.ContentType = "application/x-protobuf";
            return Results.Bytes([], "application/x-protobuf");
        });
        await app.StartAsync();
        var address = ((IServer)app.Services.GetService(typeof(IServer))!).Features.Get<IServerAddressesFeature>()!.Addresses.First();
        receiver = new OtlpReceiver(app, address.TrimEnd('/'));
        return receiver;
    }

    /// <summary>The spans of trace <paramref name="traceId"/> received so far.</summary>
    public List<ReceivedSpan> Trace(string traceId) => [.. Spans.Where(s => s.TraceId == traceId)];

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private static IEnumerable<ReceivedSpan> Decode(byte[] request)
    {
        foreach (var resourceSpans in Repeated(request, 1))
        {
            var service = "";
            foreach (var resource in Repeated(resourceSpans, 1))
            {
                foreach (var attribute in Repeated(resource, 1))
                {
                    var (key, value) = KeyValue(attribute);
                    if (key == "service.name")
                    {
                        service = value as string ?? "";
                    }
                }
            }

            foreach (var scopeSpans in Repeated(resourceSpans, 2))
            {
                foreach (var span in Repeated(scopeSpans, 2))
                {
                    yield return Span(span, service);
                }
            }
        }
    }

    private static ReceivedSpan Span(byte[] bytes, string service)
    {
        string traceId = "", spanId = "", parent = "", name = "", statusMessage = "";
        var kind = 0;
        var statusCode = 0;
        var attributes = new Dictionary<string, object?>(StringComparer.Ordinal);
        var input = new CodedInputStream(bytes);
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            switch (WireFormat.GetTagFieldNumber(tag))
            {
                case 1: traceId = Convert.ToHexStringLower(input.ReadBytes().ToByteArray()); break;
                case 2: spanId = Convert.ToHexStringLower(input.ReadBytes().ToByteArray()); break;
                case 4: parent = Convert.ToHexStringLower(input.ReadBytes().ToByteArray()); break;
                case 5: name = input.ReadString(); break;
                case 6: kind = input.ReadEnum(); break;
                case 9:
                    var (key, value) = KeyValue(input.ReadBytes().ToByteArray());
                    attributes[key] = value;
                    break;
                case 15:
                    var status = new CodedInputStream(input.ReadBytes().ToByteArray());
                    uint statusTag;
                    while ((statusTag = status.ReadTag()) != 0)
                    {
                        switch (WireFormat.GetTagFieldNumber(statusTag))
                        {
                            case 2: statusMessage = status.ReadString(); break;
                            case 3: statusCode = status.ReadEnum(); break;
                            default: status.SkipLastField(); break;
                        }
                    }

                    break;
                default: input.SkipLastField(); break;
            }
        }

        return new ReceivedSpan(service, name, traceId, spanId, parent.Length == 0 ? null : parent, kind, statusCode, statusMessage, attributes);
    }

    private static (string Key, object? Value) KeyValue(byte[] bytes)
    {
        var key = "";
        object? value = null;
        var input = new CodedInputStream(bytes);
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            switch (WireFormat.GetTagFieldNumber(tag))
            {
                case 1: key = input.ReadString(); break;
                case 2: value = AnyValue(input.ReadBytes().ToByteArray()); break;
                default: input.SkipLastField(); break;
            }
        }

        return (key, value);
    }

    private static object? AnyValue(byte[] bytes)
    {
        var input = new CodedInputStream(bytes);
        object? value = null;
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            switch (WireFormat.GetTagFieldNumber(tag))
            {
                case 1: value = input.ReadString(); break;
                case 2: value = input.ReadBool(); break;
                case 3: value = input.ReadInt64(); break;
                case 4: value = input.ReadDouble(); break;
                default: input.SkipLastField(); break;
            }
        }

        return value;
    }

    /// <summary>Every occurrence of length-delimited field <paramref name="field"/> in a message.</summary>
    private static List<byte[]> Repeated(byte[] message, int field)
    {
        var found = new List<byte[]>();
        var input = new CodedInputStream(message);
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            if (WireFormat.GetTagFieldNumber(tag) == field && WireFormat.GetTagWireType(tag) == WireFormat.WireType.LengthDelimited)
            {
                found.Add(input.ReadBytes().ToByteArray());
            }
            else
            {
                input.SkipLastField();
            }
        }

        return found;
    }
}

/// <summary>
/// One span as a collector received it. <see cref="Kind"/>: 1 internal, 2 server, 3 client; <see cref="StatusCode"/>:
/// 0 unset, 1 ok, 2 error (opentelemetry-proto's enums).
/// </summary>
public sealed record ReceivedSpan(
    string Service, string Name, string TraceId, string SpanId, string? ParentSpanId, int Kind, int StatusCode, string StatusMessage,
    IReadOnlyDictionary<string, object?> Attributes)
{
    public string? Attribute(string key) => Attributes.TryGetValue(key, out var value) ? Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture) : null;
}
