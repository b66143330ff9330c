namespace Wafer.ControlPlane.Scheduling;

/// <summary>
/// Health checks of runtimes over HTTP, the evidence the reconciler needs before it takes a runtime the control channel
/// lost out of the routes. A check runs in the background and its answer comes back as a <see cref="RuntimeProbed"/>
/// event; tests answer with a fake.
/// </summary>
internal interface IRuntimeProbes
{
    /// <summary>Starts a check of the runtime serving at <paramref name="url"/>; <paramref name="requestedAt"/> comes back with the answer.</summary>
    void Probe(string runtimeId, string url, DateTimeOffset requestedAt);
}
