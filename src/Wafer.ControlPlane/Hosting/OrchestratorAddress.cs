using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;
using Wafer.ControlPlane.Scheduling;

namespace Wafer.ControlPlane.Hosting;

/// <summary>
/// The URL runtimes reach the orchestrator at: <see cref="OrchestratorOptions.PublicUrl"/>, else the address the HTTP
/// server bound (a wildcard address becomes this machine's host name).
/// </summary>
internal sealed class OrchestratorAddress(IOptions<OrchestratorOptions> options, IServer server) : IOrchestratorAddress
{
    private string? _resolved;

    public string BaseUrl => _resolved ?? Resolve();

    private string Resolve()
    {
        if (options.Value.PublicUrl is { } configured)
        {
            return _resolved = configured.TrimEnd('/');
        }

        var bound = server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault();
        if (bound is null)
        {
            return $"http://{options.Value.Host}:{options.Value.Port}"; // not listening yet: do not remember this guess
        }

        var uri = new UriBuilder(bound.Replace("://+", "://0.0.0.0", StringComparison.Ordinal).Replace("://*", "://0.0.0.0", StringComparison.Ordinal));
        if (uri.Host is "0.0.0.0" or "[::]" or "::")
        {
            uri.Host = System.Net.Dns.GetHostName();
        }

        return _resolved = uri.Uri.ToString().TrimEnd('/');
    }
}
