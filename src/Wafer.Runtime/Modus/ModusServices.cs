using Microsoft.Extensions.DependencyInjection;
using Wafer.Runtime.Modus.Host;
using Wafer.Wasm;

namespace Wafer.Runtime.Modus;

/// <summary>Registers what runs Modus apps: the loader and the Modus host modules over Wafer's capabilities.</summary>
internal static class ModusServices
{
    public static IServiceCollection AddWaferModus(this IServiceCollection services)
    {
        services.AddSingleton<IModusHostModule, SystemHostModule>();
        services.AddSingleton<IModusHostModule, SecretsHostModule>();
        services.AddSingleton<IModusHostModule, HttpHostModule>();
        services.AddSingleton<IModusHostModule, ModelsHostModule>();
        services.AddSingleton<IModusHostModule, SqlHostModule>();
        services.AddSingleton<IModusHostModule, DgraphHostModule>();
        services.AddSingleton<Agents.AgentStore>();
        services.AddSingleton<Agents.ModusAgents>();
        services.AddSingleton<IModusHostModule, AgentsHostModule>();
        services.AddSingleton<ModusHostFunctions>();
        services.AddSingleton<Auth.ModusTokenVerifier>();
        services.AddSingleton<Auth.ModusAuthorization>();
        services.AddSingleton(sp => new ModusLoader(sp.GetRequiredService<WasmHost>(), sp.GetRequiredService<ModusHostFunctions>()));
        return services;
    }
}
