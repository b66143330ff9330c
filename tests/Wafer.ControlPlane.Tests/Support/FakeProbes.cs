namespace Wafer.ControlPlane.Tests.Support;

/// <summary>
/// Health checks answered by the test: every request is recorded, and <see cref="ReconcilerHarness"/> answers it after
/// each event it handles, reachable for the runtimes in <see cref="Reachable"/> and refused for the others (the test
/// runtimes' URLs, <c>http://ID.test</c>, lead nowhere).
/// </summary>
internal sealed class FakeProbes : IRuntimeProbes
{
    private readonly Queue<(string RuntimeId, string Url, DateTimeOffset RequestedAt)> _pending = new();

    public List<(string RuntimeId, string Url)> Requested { get; } = [];

    public HashSet<string> Reachable { get; } = new(StringComparer.Ordinal);

    public void Probe(string runtimeId, string url, DateTimeOffset requestedAt)
    {
        Requested.Add((runtimeId, url));
        _pending.Enqueue((runtimeId, url, requestedAt));
    }

    /// <summary>Takes the answers to the checks asked for so far.</summary>
    public List<RuntimeProbed> TakeAnswers()
    {
        var answers = new List<RuntimeProbed>();
        while (_pending.TryDequeue(out var probe))
        {
            var reachable = Reachable.Contains(probe.RuntimeId);
            answers.Add(new RuntimeProbed(probe.RuntimeId, probe.RequestedAt, reachable,
                reachable ? "GET /healthz answered 200" : "GET /healthz failed: ConnectionRefused"));
        }

        return answers;
    }
}
