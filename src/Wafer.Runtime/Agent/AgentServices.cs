using Microsoft.Extensions.DependencyInjection;

namespace Wafer.Runtime.Agent;

/// <summary>Registers the runtime agent; it does nothing unless <see cref="AgentOptions.Join"/> is set.</summary>
public static class AgentServices
{
    public static IServiceCollection AddWaferAgent(this IServiceCollection services)
    {
        services.AddSingleton<LoadSampler>();
        services.AddSingleton<ArtifactFetcher>();
        services.AddSingleton<ModuleStore>();
        services.AddSingleton<PlacedModules>();
        services.AddSingleton<Programs.ProgramRunner>();
        services.AddSingleton<RuntimeAgent>();
        services.AddHostedService(sp => sp.GetRequiredService<RuntimeAgent>());
        return services;
    }
}
