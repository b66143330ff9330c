using Wafer.Runtime.GraphQL;

namespace Wafer.Gateway.Hosting;

/// <summary>Settings of the gateway, in the orchestrator (<c>wafer orchestrator</c>) or alone (<c>wafer gateway</c>).</summary>
public sealed class GatewayOptions
{
    public const int DefaultPort = 8688;

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

    /// <summary>Largest GraphQL request body the gateway reads.</summary>
    public int MaxRequestBytes { get; set; } = 4 * 1024 * 1024;

    /// <summary>What one <c>/graphql</c> request through the gateway may cost (docs/graphql.md, "Limits").</summary>
    public GraphQLOptions GraphQL { get; set; } = new();

    /// <summary>How often every runtime's <c>/healthz</c> is probed.</summary>
    public TimeSpan ProbeInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How long a probe may take before it counts as failed.</summary>
    public TimeSpan ProbeTimeout { get; set; } = TimeSpan.FromSeconds(1);

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
            errors.Add("MaxRequestBytes must be at least 1024");
        }

        errors.AddRange(GraphQL.Validate());
        if (ProbeInterval <= TimeSpan.Zero || ProbeTimeout <= TimeSpan.Zero)
        {
            errors.Add("ProbeInterval and ProbeTimeout must be positive");
        }

        return errors;
    }
}
