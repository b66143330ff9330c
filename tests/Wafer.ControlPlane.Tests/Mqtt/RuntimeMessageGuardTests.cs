using Wafer.ControlPlane.Mqtt;
using Wafer.ControlPlane.Tests.Support;
using Wafer.Protocol.Security;

namespace Wafer.ControlPlane.Tests.Mqtt;

/// <summary>
/// What the orchestrator accepts on a runtime's topics when the fleet has a token (docs/protocol.md, "Signed
/// messages"): only what that runtime signed, keepalives and events once and recently, announcements and statuses
/// never older than the newest accepted, but its announced last will whatever its age.
/// </summary>
public sealed class RuntimeMessageGuardTests
{
    private const string Token = "fleet-s3cret";
    private static readonly string A = Guid.NewGuid().ToString("D");
    private static readonly string B = Guid.NewGuid().ToString("D");

    private readonly ManualTimeProvider _time = new();

    private Envelope Message(string type, IMessageBody body, TimeSpan? age = null, string? id = null) =>
        new(Envelope.Version, type, id ?? Guid.NewGuid().ToString("N"), _time.GetUtcNow() - (age ?? TimeSpan.Zero), body);

    private static RuntimeMessageGuard.Verdict Check(RuntimeMessageGuard guard, string topic, Envelope envelope, string? signer = null, bool signed = true)
    {
        var payload = MessageCodec.Encode(envelope);
        var signature = signed ? MessageSignature.Compute(FleetKeys.Runtime(Token, signer ?? TopicRuntime(topic)), topic, payload) : null;
        return guard.Check(topic, envelope, payload, signature);
    }

    private static string TopicRuntime(string topic) => topic.Split('/')[4];

    private static KeepaliveBody Keepalive(string id) => new(id, new Load(0, 0, 0, 10), []);

    private static AnnounceBody Announce(string id, string url = "http://a.test", string? willId = null) =>
        Fleets.Announce(id) with { Url = url, WillId = willId };

    [Fact]
    public void SignedByTheRuntime_Accepted()
    {
        var guard = new RuntimeMessageGuard(Token, _time);

        Assert.Null(Check(guard, Topics.Default.Announce(A), Message(MessageTypes.Announce, Announce(A))).Refusal);
        Assert.Null(Check(guard, Topics.Default.Keepalive(A), Message(MessageTypes.Keepalive, Keepalive(A))).Refusal);
        Assert.Null(Check(guard, Topics.Default.Events(A), Message(MessageTypes.ModuleDeleted, new ModuleDeletedBody("r", "m"))).Refusal);
    }

    [Fact]
    public void Unsigned_Refused_NamingTheFix()
    {
        var guard = new RuntimeMessageGuard(Token, _time);

        var verdict = Check(guard, Topics.Default.Announce(A), Message(MessageTypes.Announce, Announce(A)), signed: false);

        Assert.Equal("announce: unsigned, and this orchestrator accepts only messages signed with the fleet token (start the runtime with --token or WAFER_TOKEN)",
            verdict.Refusal);
    }

    [Fact]
    public void AnnounceForAnotherIdentity_SignedWithTheSendersOwnKey_Refused()
    {
        var guard = new RuntimeMessageGuard(Token, _time);
        Assert.Null(Check(guard, Topics.Default.Announce(A), Message(MessageTypes.Announce, Announce(A, "http://a.test"))).Refusal);

        // B holds a key of its own, and reuses A's id with its own address
        var verdict = Check(guard, Topics.Default.Announce(A), Message(MessageTypes.Announce, Announce(A, "http://evil.test")), signer: B);

        Assert.Equal($"announce: the signature does not match the key of runtime '{A}' for this topic (sent by another member, or with another token)", verdict.Refusal);
    }

    [Fact]
    public void SignatureMovedToAnotherTopic_Refused()
    {
        var guard = new RuntimeMessageGuard(Token, _time);
        var status = Message(MessageTypes.Status, new StatusBody(A, StatusBody.Online));
        var payload = MessageCodec.Encode(status);
        var signedForAnnounce = MessageSignature.Compute(FleetKeys.Runtime(Token, A), Topics.Default.Announce(A), payload);

        Assert.NotNull(guard.Check(Topics.Default.Status(A), status, payload, signedForAnnounce).Refusal);
    }

    [Fact]
    public void StaleKeepalive_Refused_RecentOneAccepted()
    {
        var guard = new RuntimeMessageGuard(Token, _time);

        var stale = Check(guard, Topics.Default.Keepalive(A), Message(MessageTypes.Keepalive, Keepalive(A), age: TimeSpan.FromMinutes(3)));

        Assert.StartsWith("keepalive: sent at ", stale.Refusal, StringComparison.Ordinal);
        Assert.EndsWith("more than 2 minutes from the orchestrator's clock", stale.Refusal, StringComparison.Ordinal);
        Assert.Null(Check(guard, Topics.Default.Keepalive(A), Message(MessageTypes.Keepalive, Keepalive(A), age: TimeSpan.FromMinutes(1))).Refusal);
    }

    [Fact]
    public void ReplayedEvent_Refused()
    {
        var guard = new RuntimeMessageGuard(Token, _time);
        var running = Message(MessageTypes.ModuleRunning, new ModuleRunningBody("req", "m-1", "web", new string('a', 64)));

        Assert.Null(Check(guard, Topics.Default.Events(A), running).Refusal);
        _time.Advance(TimeSpan.FromSeconds(30));

        Assert.Equal($"module_running: message id {running.Id} was already accepted (a replay)", Check(guard, Topics.Default.Events(A), running).Refusal);
    }

    [Fact]
    public void SeenIds_ForgottenOnceTheyAreTooOldToBeAccepted()
    {
        var guard = new RuntimeMessageGuard(Token, _time);
        for (var i = 0; i < 10; i++)
        {
            Assert.Null(Check(guard, Topics.Default.Keepalive(A), Message(MessageTypes.Keepalive, Keepalive(A))).Refusal);
        }

        Assert.Equal(10, guard.SeenCount);
        _time.Advance(RuntimeMessageGuard.Window + TimeSpan.FromSeconds(1));
        Assert.Null(Check(guard, Topics.Default.Keepalive(A), Message(MessageTypes.Keepalive, Keepalive(A))).Refusal);

        Assert.Equal(1, guard.SeenCount);
    }

    [Fact]
    public void OlderAnnounce_Refused_TheSameOneAgainAccepted()
    {
        var guard = new RuntimeMessageGuard(Token, _time);
        var old = Message(MessageTypes.Announce, Announce(A, "http://old.test"), age: TimeSpan.FromMinutes(10));
        var current = Message(MessageTypes.Announce, Announce(A, "http://a.test"));
        Assert.Null(Check(guard, Topics.Default.Announce(A), old).Refusal);
        Assert.Null(Check(guard, Topics.Default.Announce(A), current).Refusal);

        var again = Check(guard, Topics.Default.Announce(A), old);
        Assert.StartsWith("announce: sent at ", again.Refusal, StringComparison.Ordinal);
        Assert.True(again.Stale); // only older: the orchestrator drops a retained copy of it without refusing it aloud
        Assert.Null(Check(guard, Topics.Default.Announce(A), current).Refusal); // the broker's retained copy, delivered again after a reconnect
        Assert.False(Check(guard, Topics.Default.Announce(A), Message(MessageTypes.Announce, Announce(A)), signed: false).Stale); // unsigned: a refusal of another kind
    }

    [Fact]
    public void AnnouncedWill_AcceptedWhateverItsAge_AndFlagged()
    {
        var guard = new RuntimeMessageGuard(Token, _time);
        var will = Message(MessageTypes.Status, new StatusBody(A, StatusBody.Offline), age: TimeSpan.FromHours(5));
        Assert.Null(Check(guard, Topics.Default.Announce(A), Message(MessageTypes.Announce, Announce(A, willId: will.Id))).Refusal);
        Assert.Null(Check(guard, Topics.Default.Status(A), Message(MessageTypes.Status, new StatusBody(A, StatusBody.Online))).Refusal);

        var verdict = Check(guard, Topics.Default.Status(A), will);

        Assert.Equal(new RuntimeMessageGuard.Verdict(null, true), verdict);
        // another old offline status is no will: refused
        var replayed = Message(MessageTypes.Status, new StatusBody(A, StatusBody.Offline), age: TimeSpan.FromHours(4));
        Assert.StartsWith("status: sent at ", Check(guard, Topics.Default.Status(A), replayed).Refusal, StringComparison.Ordinal);
    }

    [Fact]
    public void NoToken_NothingRefused_TheWillStillRecognized()
    {
        var guard = new RuntimeMessageGuard(null, _time);
        var will = Message(MessageTypes.Status, new StatusBody(A, StatusBody.Offline), age: TimeSpan.FromHours(5));

        Assert.Null(Check(guard, Topics.Default.Announce(A), Message(MessageTypes.Announce, Announce(A, willId: will.Id)), signed: false).Refusal);
        Assert.Null(Check(guard, Topics.Default.Keepalive(A), Message(MessageTypes.Keepalive, Keepalive(A), age: TimeSpan.FromHours(1)), signed: false).Refusal);
        Assert.True(Check(guard, Topics.Default.Status(A), will, signed: false).IsWill);
        Assert.False(Check(guard, Topics.Default.Status(A), Message(MessageTypes.Status, new StatusBody(A, StatusBody.Offline)), signed: false).IsWill);
    }
}
