using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Wafer.Runtime.Hosting;

namespace Wafer.Runtime.Agent;

/// <summary>Registers the runtime agent; it does nothing unless <see cref="AgentOptions.Join"/> is set.</summary>
internal static class AgentServices
{
    public static IServiceCollection AddWaferAgent(this IServiceCollection services)
    {
        services.TryAddSingleton(FleetBrokerReady.Now);
        services.AddSingleton<LoadSampler>();
        services.AddSingleton<ArtifactFetcher>();
        services.AddSingleton<ModuleStore>();
        services.AddSingleton<PlacedModules>();
        services.AddSingleton(sp => new Programs.Channels.ChannelClient(
            () => Triggers.RuntimeTriggers.ResolveBroker(sp.GetRequiredService<IOptions<RuntimeOptions>>().Value, sp, "-channels"),
            sp.GetRequiredService<ILogger<Programs.Channels.ChannelClient>>()));
        services.AddSingleton<Programs.Output.ModuleOutputs>();
        services.AddSingleton<Programs.ProgramRunner>();
        services.AddSingleton<RuntimeAgent>();
        services.AddHostedService(sp => sp.GetRequiredService<RuntimeAgent>());
        return services;
    }
}
