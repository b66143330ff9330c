using Wafer.Runtime.Programs.Output;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Wafer.Runtime.Handlers;
using Wafer.Runtime.Jobs;

namespace Wafer.Runtime.Hosting;

/// <summary>Registers and maps what serves command plugins: jobs (<c>/jobs</c>) and HTTP handlers (manifest routes).</summary>
internal static class CommandServices
{
    public static IServiceCollection AddWaferCommands(this IServiceCollection services)
    {
        services.AddOptions<JobOptions>().BindConfiguration("Jobs").ValidateOnStart();
        services.AddSingleton<IValidateOptions<JobOptions>, JobOptionsValidator>();
        services.AddOptions<HandlerOptions>().BindConfiguration("Handlers").ValidateOnStart();
        services.AddSingleton<IValidateOptions<HandlerOptions>, HandlerOptionsValidator>();
        services.AddSingleton<JobRunner>();
        services.AddHostedService(sp => sp.GetRequiredService<JobRunner>());
        return services;
    }

    public static IEndpointRouteBuilder MapWaferCommands(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapWaferJobs();
        endpoints.MapWaferModuleOutput();
        return endpoints; // handlers are a middleware (HandlerEndpoints.UseWaferHandlers)
    }

    private sealed class HandlerOptionsValidator : IValidateOptions<HandlerOptions>
    {
        public ValidateOptionsResult Validate(string? name, HandlerOptions options)
        {
            var errors = options.Validate();
            return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
        }
    }

    private sealed class JobOptionsValidator : IValidateOptions<JobOptions>
    {
        public ValidateOptionsResult Validate(string? name, JobOptions options)
        {
            var errors = options.Validate();
            return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
        }
    }
}
