using Wafer.GraphQL;

namespace Wafer.Gateway.Hosting;

/// <summary>
/// Settings of the gateway, in the orchestrator (<c>wafer orchestrator</c>) or alone (<c>wafer gateway</c>). The
/// limits and timings are bound from the <c>Gateway</c> section of the configuration (<c>appsettings.json</c>, or
/// environment variables such as <c>Gateway__StallAfter=00:00:01</c>) and validated at start.
/// </summary>
public sealed class GatewayOptions
{
    public const int DefaultPort = 8688;

    /// <summary>The configuration section the limits and timings are bound from.</summary>
    public const string Section = "Gateway";

    /// <summary>Standalone only: the orchestrator whose <c>/api/routes</c> feeds the gateway.</summary>
    public string? Orchestrator { get; set; }

    /// <summary>Standalone only: HTTP port.</summary>
    public int Port { get; set; } = DefaultPort;

    /// <summary>Standalone only: address to bind.</summary>
    public string Host { get; set; } = "127.0.0.1";

    /// <summary>
    /// The fleet token. The gateway proves itself with it on runtimes' call ports (docs/call-protocol.md); standalone,
    /// control operations through the gateway (<c>/api/…</c> other than reads) also need <c>Authorization: Bearer
    /// TOKEN</c>, and the gateway uses it to read the routes. The orchestrator's gateway has the orchestrator's token.
    /// Secret: never logged.
    /// </summary>
    public string? Token { get; set; }

    /// <summary>
    /// Largest request body of a function call, a handler request or a GraphQL request; a larger one is answered 413
    /// without reaching a runtime. Keep it no higher than the runtimes' <c>--maxRequestBytes</c> (the same default).
    /// </summary>
    public int MaxRequestBytes { get; set; } = 4 * 1024 * 1024;

    /// <summary>What one <c>/graphql</c> request through the gateway may cost (docs/graphql.md, "Limits").</summary>
    public GraphQLOptions GraphQL { get; set; } = new();

    /// <summary>How long a call (or handler request) may take from being sent to a runtime to its last byte.</summary>
    public TimeSpan CallTimeout { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>How long opening a connection to a runtime may take (for the call protocol, with its preamble).</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How long a replica that refused a connection or broke a call is skipped, unless a probe succeeds first.</summary>
    public TimeSpan PutAsideFor { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// A replica with calls in flight and no answer for this long is probed; if the probe is not answered within this
    /// long either, no new call goes to it until a probe or an answer comes back (a hung runtime).
    /// </summary>
    public TimeSpan StallAfter { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>How often every runtime's <c>/healthz</c> is probed.</summary>
    public TimeSpan ProbeInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How long a probe may take before it counts as failed.</summary>
    public TimeSpan ProbeTimeout { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Consecutive failed probes after which a replica is taken for down until a probe succeeds.</summary>
    public int ProbeFailuresToDown { get; set; } = 2;

    /// <summary>What is wrong with the settings, each naming the setting; empty when they are valid.</summary>
    public IReadOnlyList<string> Validate(bool standalone)
    {
        var errors = new List<string>();
        if (standalone)
        {
            if (Orchestrator is null || !Uri.TryCreate(Orchestrator, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https"))
            {
                errors.Add($"Orchestrator (--orchestrator) must be an http:// or https:// URL, got '{Orchestrator}'");
            }

            if (Port is < 0 or > 65535)
            {
                errors.Add($"Port (--port) must be between 0 and 65535, got {Port}");
            }

            if (string.IsNullOrWhiteSpace(Host))
            {
                errors.Add("Host (--host) must not be empty");
            }

            if (Token is { Length: 0 })
            {
                errors.Add("Token (--token) must not be empty when given");
            }
        }

        if (MaxRequestBytes < 1024)
        {
            errors.Add($"{Section}:MaxRequestBytes must be at least 1024, got {MaxRequestBytes}");
        }

        errors.AddRange(GraphQL.Validate());
        Positive(errors, nameof(CallTimeout), CallTimeout);
        Positive(errors, nameof(ConnectTimeout), ConnectTimeout);
        Positive(errors, nameof(PutAsideFor), PutAsideFor);
        Positive(errors, nameof(StallAfter), StallAfter);
        Positive(errors, nameof(ProbeInterval), ProbeInterval);
        Positive(errors, nameof(ProbeTimeout), ProbeTimeout);
        if (StallAfter > TimeSpan.Zero && StallAfter < TimeSpan.FromMilliseconds(50))
        {
            errors.Add($"{Section}:StallAfter must be at least 50ms (shorter would probe runtimes that are only busy), got {StallAfter}");
        }

        if (ProbeTimeout >= ProbeInterval && ProbeInterval > TimeSpan.Zero)
        {
            errors.Add($"{Section}:ProbeTimeout ({ProbeTimeout}) must be shorter than {Section}:ProbeInterval ({ProbeInterval})");
        }

        if (ProbeFailuresToDown < 1)
        {
            errors.Add($"{Section}:ProbeFailuresToDown must be at least 1, got {ProbeFailuresToDown}");
        }

        return errors;
    }

    private static void Positive(List<string> errors, string name, TimeSpan value)
    {
        if (value <= TimeSpan.Zero || value > TimeSpan.FromDays(1))
        {
            errors.Add($"{Section}:{name} must be positive and at most a day, got {value}");
        }
    }
}
