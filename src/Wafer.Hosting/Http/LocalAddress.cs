using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace Wafer.Hosting.Http;

/// <summary>The address a server's own process reaches it at: the first bound address, a wildcard host as loopback.</summary>
public static class LocalAddress
{
    /// <summary>Null until the server listens.</summary>
    public static string? Of(IServiceProvider services) =>
        services.GetService<IServer>()?.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault()?
            .Replace("://+:", "://127.0.0.1:", StringComparison.Ordinal).Replace("://*:", "://127.0.0.1:", StringComparison.Ordinal)
            .Replace("://0.0.0.0:", "://127.0.0.1:", StringComparison.Ordinal).Replace("://[::]:", "://[::1]:", StringComparison.Ordinal)
            .TrimEnd('/');
}
