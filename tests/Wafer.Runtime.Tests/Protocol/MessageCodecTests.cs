using System.Text;
using Wafer.Protocol.V1;

namespace Wafer.Runtime.Tests.Protocol;

/// <summary>Protocol version 1 (docs/protocol.md): every message round-trips; every malformed one is refused with a reason.</summary>
public sealed class MessageCodecTests
{
    private const string Runtime = "2c1e0d7a-9b7e-4d0c-a1f3-5e6f7a8b9c0d";

    private static readonly string Hash = new('a', 64);

    private static readonly JsonElement Manifest = JsonDocument.Parse("""{"name":"hello","limits":{"timeoutMs":250}}""").RootElement.Clone();

    /// <summary>One example of every message type, on the topic it belongs to.</summary>
    public static TheoryData<string, string, IMessageBody> Examples => new()
    {
        {
            Topics.Default.Announce(Runtime), MessageTypes.Announce,
            new AnnounceBody(Runtime, "edge-1", new Dictionary<string, string> { ["zone"] = "a" }, new Capacity(2, 24000, 100),
                ["functions", "jobs", "http"], "0.1.0", "http://127.0.0.1:8687", 5, [new ModuleReport("m-1", "hello", Hash, ModuleState.Running)])
        },
        { Topics.Default.Status(Runtime), MessageTypes.Status, new StatusBody(Runtime, StatusBody.Draining) },
        { Topics.Default.Keepalive(Runtime), MessageTypes.Keepalive, new KeepaliveBody(Runtime, new Load(3, 120.5, 35, 410), [new ModuleState("m-1", ModuleState.Running)]) },
        { Topics.Default.Events(Runtime), MessageTypes.ModuleRunning, new ModuleRunningBody("r-1", "m-1", "hello", Hash) },
        { Topics.Default.Events(Runtime), MessageTypes.ModuleFailed, new ModuleFailedBody("r-1", "m-1", "hash mismatch: expected a, got b") },
        { Topics.Default.Events(Runtime), MessageTypes.ModuleDeleted, new ModuleDeletedBody(null, "m-1") },
        { Topics.Default.Events(Runtime), MessageTypes.JobExited, new JobExitedBody("j-1", "tool", null, "killed") },
        { Topics.Default.Events(Runtime), MessageTypes.Error, new ErrorBody(null, Topics.Default.Commands(Runtime), "not JSON") },
        { Topics.Default.Events(Runtime), MessageTypes.Fatal, new FatalBody(Runtime, "out of disk") },
        {
            Topics.Default.Commands(Runtime), MessageTypes.CreateModule,
            new CreateModuleBody("m-1", "hello", Hash, "http://127.0.0.1:8680/api/artifacts/" + Hash, Manifest, new Dictionary<string, string> { ["k"] = "v" })
        },
        { Topics.Default.Commands(Runtime), MessageTypes.CreateModule, new CreateModuleBody("m-2", "hello", Hash, "http://x/a", Manifest, null) },
        { Topics.Default.Commands(Runtime), MessageTypes.DeleteModule, new DeleteModuleBody("m-1") },
        { Topics.Default.Commands(Runtime), MessageTypes.Drain, new DrainBody() },
        { Topics.Default.Commands(Runtime), MessageTypes.Shutdown, new ShutdownBody("drained") },
        { Topics.Default.OrchestratorStatus, MessageTypes.OrchestratorStatus, new OrchestratorStatusBody(OrchestratorStatusBody.Online, "http://127.0.0.1:8680") },
        { Topics.Default.OrchestratorErrors, MessageTypes.Error, new ErrorBody("r-9", Topics.Default.Announce(Runtime), "bad") },
    };

    [Theory]
    [MemberData(nameof(Examples))]
    public void Encode_ThenDecode_GivesTheSameMessage(string topic, string type, IMessageBody body)
    {
        var sent = Envelope.Create(type, body);
        var received = MessageCodec.Decode(topic, MessageCodec.Encode(sent));

        Assert.Equal(1, received.V);
        Assert.Equal(type, received.Type);
        Assert.Equal(sent.Id, received.Id);
        Assert.Equal(sent.SentAt.ToUnixTimeMilliseconds(), received.SentAt.ToUnixTimeMilliseconds());
        Assert.IsType(body.GetType(), received.Body);
        Assert.Equal(BodyJson(body), BodyJson(received.Body));
    }

    [Fact]
    public void Encode_WritesTheDocumentedEnvelope()
    {
        var bytes = MessageCodec.Encode(MessageTypes.Status, new StatusBody(Runtime, StatusBody.Online));
        var root = JsonDocument.Parse(bytes).RootElement;

        Assert.Equal(["v", "type", "id", "sentAt", "body"], root.EnumerateObject().Select(p => p.Name));
        Assert.Equal(1, root.GetProperty("v").GetInt32());
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$", root.GetProperty("sentAt").GetString());
        Assert.Equal($$"""{"runtimeId":"{{Runtime}}","state":"online"}""", root.GetProperty("body").GetRawText());
    }

    [Fact]
    public void Decode_UnknownFields_AreIgnored()
    {
        var envelope = Decode(Topics.Default.Status(Runtime), Message("status", $$"""{"runtimeId":"{{Runtime}}","state":"online","extra":1}""", extra: ",\"trace\":\"x\""));
        Assert.Equal(StatusBody.Online, ((StatusBody)envelope.Body).State);
    }

    [Fact]
    public void Decode_CreateModuleWithoutConfig_IsAccepted()
    {
        var envelope = Decode(Topics.Default.Commands(Runtime), Message("create_module", """{"moduleId":"m","plugin":"p","hash":"h","artifactUrl":"u","manifest":{}}"""));
        Assert.Null(((CreateModuleBody)envelope.Body).Config);
    }

    [Fact]
    public void Decode_SentAtWithOffset_IsAccepted()
    {
        var json = Message("drain", "{}").Replace("2026-11-23T10:00:00.000Z", "2026-11-23T11:00:00+01:00", StringComparison.Ordinal);
        var envelope = Decode(Topics.Default.Commands(Runtime), json);
        Assert.Equal(new DateTimeOffset(2026, 11, 23, 10, 0, 0, TimeSpan.Zero), envelope.SentAt);
    }

    [Theory]
    [InlineData("not json", "message is not a valid envelope")]
    [InlineData("", "message is not a valid envelope")]
    [InlineData("[1,2]", "message is not a valid envelope")]
    [InlineData("null", "message is JSON null")]
    [InlineData("""{"v":1,"type":"drain","id":"r","sentAt":"2026-11-23T10:00:00Z","body":{}} trailing""", "message is not a valid envelope")]
    public void Decode_NotAnEnvelope_IsRefused(string payload, string reason) =>
        AssertRefused(Topics.Default.Commands(Runtime), payload, reason);

    [Theory]
    [InlineData("""{"v":2,"type":"drain","id":"r","sentAt":"2026-11-23T10:00:00Z","body":{}}""", "unsupported protocol version 2; this peer speaks version 1")]
    [InlineData("""{"v":"1","type":"drain","id":"r","sentAt":"2026-11-23T10:00:00Z","body":{}}""", "message is not a valid envelope")]
    [InlineData("""{"type":"drain","id":"r","sentAt":"2026-11-23T10:00:00Z","body":{}}""", "message has no protocol version (v)")]
    public void Decode_WrongVersion_IsRefused(string payload, string reason) =>
        AssertRefused(Topics.Default.Commands(Runtime), payload, reason);

    [Theory]
    [InlineData("launch_rockets", "unknown message type 'launch_rockets'")]
    [InlineData("", "unknown message type ''")]
    public void Decode_UnknownType_IsRefused(string type, string reason) =>
        AssertRefused(Topics.Default.Commands(Runtime), Message(type, "{}"), reason);

    [Theory]
    [InlineData("commands", "announce", "type 'announce' is not allowed on the commands channel")]
    [InlineData("events", "create_module", "type 'create_module' is not allowed on the events channel")]
    [InlineData("status", "keepalive", "type 'keepalive' is not allowed on the status channel")]
    [InlineData("bogus", "drain", "topic 'realm/wafer/v1/runtimes/RT/bogus' is not a protocol version 1 topic")]
    public void Decode_TypeOnTheWrongChannel_IsRefused(string channel, string type, string reason) =>
        AssertRefused($"realm/wafer/v1/runtimes/{Runtime}/{channel}", Message(type, "{}"), reason.Replace("RT", Runtime, StringComparison.Ordinal));

    [Fact]
    public void Decode_TypeOnTheOrchestratorTopics_IsChecked()
    {
        AssertRefused(Topics.Default.OrchestratorStatus, Message("drain", "{}"), "type 'drain' is not allowed on realm/wafer/v1/orchestrator/status");
        AssertRefused(Topics.Default.OrchestratorErrors, Message("status", "{}"), "type 'status' is not allowed on realm/wafer/v1/orchestrator/errors");
        AssertRefused("wafer/v2/runtimes/x/commands", Message("drain", "{}"), "is not a protocol version 1 topic");
    }

    [Theory]
    [InlineData("status", """{"state":"online"}""", "status: invalid body")]
    [InlineData("status", """{"runtimeId":"RT"}""", "missing required properties")]
    [InlineData("delete_module", "{}", "delete_module: invalid body")]
    [InlineData("create_module", """{"moduleId":"m","plugin":"p","hash":"h","artifactUrl":"u"}""", "'manifest'")]
    [InlineData("keepalive", """{"runtimeId":"RT","modules":[]}""", "'load'")]
    public void Decode_MissingRequiredField_IsRefused(string type, string body, string reason) =>
        AssertRefused(TopicOf(type), Message(type, body.Replace("RT", Runtime, StringComparison.Ordinal)), reason);

    [Theory]
    [InlineData("status", """{"runtimeId":null,"state":"online"}""", "status: invalid body")]
    [InlineData("announce", """{"runtimeId":"RT","name":"n","labels":{"zone":null},"capacity":{"cores":1,"memoryMb":1,"maxModules":1},"kinds":[],"version":"1","url":"u","keepaliveSec":5,"modules":[]}""", "announce: labels.zone must not be null")]
    [InlineData("announce", """{"runtimeId":"RT","name":"n","labels":{},"capacity":null,"kinds":[],"version":"1","url":"u","keepaliveSec":5,"modules":[]}""", "announce: invalid body")]
    [InlineData("announce", """{"runtimeId":"RT","name":"n","labels":{},"capacity":{"cores":1,"memoryMb":1,"maxModules":1},"kinds":[null],"version":"1","url":"u","keepaliveSec":5,"modules":[]}""", "announce: kinds[0] must not be null")]
    [InlineData("keepalive", """{"runtimeId":"RT","load":{"inFlight":0,"callsPerSec":0,"cpuPercent":0,"memoryMb":0},"modules":[null]}""", "keepalive: modules[0] must not be null")]
    [InlineData("create_module", """{"moduleId":"m","plugin":"p","hash":"h","artifactUrl":"u","manifest":null}""", "create_module: manifest must be a JSON object, got Null")]
    [InlineData("create_module", """{"moduleId":"m","plugin":"p","hash":"h","artifactUrl":"u","manifest":{},"config":{"k":null}}""", "create_module: config.k must not be null")]
    [InlineData("shutdown", """{"reason":null}""", "shutdown: invalid body")]
    [InlineData("drain", "null", "drain: body is missing")]
    public void Decode_NullWhereNotNullable_IsRefused(string type, string body, string reason) =>
        AssertRefused(TopicOf(type), Message(type, body.Replace("RT", Runtime, StringComparison.Ordinal)), reason);

    [Theory]
    [InlineData("status", """{"runtimeId":"RT","state":"sleeping"}""", "status: state is 'sleeping'; expected one of online, draining, offline")]
    [InlineData("keepalive", """{"runtimeId":"RT","load":{"inFlight":"3","callsPerSec":0,"cpuPercent":0,"memoryMb":0},"modules":[]}""", "keepalive: invalid body")]
    [InlineData("keepalive", """{"runtimeId":"RT","load":{"inFlight":0,"callsPerSec":0,"cpuPercent":0,"memoryMb":0},"modules":[{"moduleId":"m","state":"odd"}]}""", "keepalive: modules[0].state is 'odd'")]
    [InlineData("create_module", """{"moduleId":"","plugin":"p","hash":"h","artifactUrl":"u","manifest":{}}""", "create_module: moduleId must not be empty")]
    [InlineData("create_module", """{"moduleId":"m","plugin":"p","hash":"h","artifactUrl":"u","manifest":[]}""", "create_module: manifest must be a JSON object, got Array")]
    [InlineData("delete_module", """{"moduleId":7}""", "delete_module: invalid body")]
    [InlineData("orchestrator_status", """{"state":"asleep","url":"u"}""", "orchestrator_status: state is 'asleep'")]
    public void Decode_IllTypedField_IsRefused(string type, string body, string reason) =>
        AssertRefused(TopicOf(type), Message(type, body.Replace("RT", Runtime, StringComparison.Ordinal)), reason);

    [Fact]
    public void Decode_MissingBody_IsRefused()
    {
        AssertRefused(Topics.Default.Commands(Runtime), """{"v":1,"type":"drain","id":"r-1","sentAt":"2026-11-23T10:00:00Z"}""", "drain: body is missing");
    }

    [Theory]
    [InlineData("""{"v":1,"type":"drain","sentAt":"2026-11-23T10:00:00Z","body":{}}""", "message has no id")]
    [InlineData("""{"v":1,"type":"drain","id":"r","sentAt":"yesterday","body":{}}""", "sentAt 'yesterday' is not an RFC 3339 time")]
    [InlineData("""{"v":1,"type":"drain","id":"r","sentAt":"2026-11-23","body":{}}""", "sentAt '2026-11-23' is not an RFC 3339 time")]
    [InlineData("""{"v":1,"type":"drain","id":"r","sentAt":"2026-11-23T10:00:00","body":{}}""", "sentAt '2026-11-23T10:00:00' is not an RFC 3339 time")]
    public void Decode_BadEnvelopeField_IsRefused(string payload, string reason) =>
        AssertRefused(Topics.Default.Commands(Runtime), payload, reason);

    [Theory]
    [InlineData("announce")]
    [InlineData("status")]
    [InlineData("keepalive")]
    [InlineData("fatal")]
    public void Decode_TopicAndBodyRuntimeMismatch_IsRefused(string type)
    {
        var other = Guid.NewGuid().ToString();
        var body = type switch
        {
            "announce" => $$"""{"runtimeId":"{{other}}","name":"n","labels":{},"capacity":{"cores":1,"memoryMb":1,"maxModules":1},"kinds":[],"version":"1","url":"u","keepaliveSec":5,"modules":[]}""",
            "status" => $$"""{"runtimeId":"{{other}}","state":"online"}""",
            "keepalive" => $$"""{"runtimeId":"{{other}}","load":{"inFlight":0,"callsPerSec":0,"cpuPercent":0,"memoryMb":0},"modules":[]}""",
            _ => $$"""{"runtimeId":"{{other}}","reason":"x"}""",
        };
        AssertRefused(TopicOf(type), Message(type, body), $"{type}: body names runtime '{other}' but was sent on the topic of runtime '{Runtime}'");
    }

    [Fact]
    public void Decode_Oversize_IsRefusedBeforeParsing()
    {
        var padding = new string(' ', MessageCodec.MaxMessageBytes);
        AssertRefused(Topics.Default.Commands(Runtime), Message("drain", "{}") + padding, $"exceeds the {MessageCodec.MaxMessageBytes}-byte limit");
    }

    [Fact]
    public void Refusal_CarriesTheMessageIdWhenItCouldBeRead()
    {
        var ex = Assert.Throws<ProtocolException>(() => Decode(Topics.Default.Commands(Runtime), Message("delete_module", "{}")));
        Assert.Equal("r-1", ex.MessageId);
        Assert.Null(Assert.Throws<ProtocolException>(() => Decode(Topics.Default.Commands(Runtime), "nope")).MessageId);
    }

    private static string Message(string type, string body, string extra = "") =>
        $$"""{"v":1,"type":"{{type}}","id":"r-1","sentAt":"2026-11-23T10:00:00.000Z","body":{{body}}{{extra}}}""";

    private static Envelope Decode(string topic, string payload) => MessageCodec.Decode(topic, Encoding.UTF8.GetBytes(payload));

    private static void AssertRefused(string topic, string payload, string reason)
    {
        var ex = Assert.Throws<ProtocolException>(() => Decode(topic, payload));
        Assert.Contains(reason, ex.Message, StringComparison.Ordinal);
    }

    private static string TopicOf(string type) => type switch
    {
        "announce" => Topics.Default.Announce(Runtime),
        "status" => Topics.Default.Status(Runtime),
        "keepalive" => Topics.Default.Keepalive(Runtime),
        "orchestrator_status" => Topics.Default.OrchestratorStatus,
        _ when MessageTypes.ByChannel["commands"].Contains(type) => Topics.Default.Commands(Runtime),
        _ => Topics.Default.Events(Runtime),
    };

    private static string BodyJson(IMessageBody body) => JsonSerializer.Serialize(body, body.GetType(), MessageCodec.Json);
}
