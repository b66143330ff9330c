using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Wafer.Hosting.Telemetry.Tracing;

/// <summary>Registers tracing for a server (docs/tracing.md); it does nothing at run time unless <see cref="TracingOptions.Enabled"/>.</summary>
public static class TracingServices
{
    /// <param name="serviceName">The service name when <c>OTEL_SERVICE_NAME</c> is unset; the first registration's wins.</param>
    /// <param name="sources">The activity sources this server records.</param>
    public static IServiceCollection AddWaferTracing(this IServiceCollection services, string serviceName, params string[] sources)
    {
        ArgumentNullException.ThrowIfNull(sources);
        services.AddOptions<TracingOptions>().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IConfigureOptions<TracingOptions>, TracingFromConfiguration>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<TracingOptions>, TracingOptionsValidator>());
        services.TryAddSingleton(new TracedService(serviceName));
        foreach (var source in sources)
        {
            services.AddSingleton(new TracedSource(source));
        }

        services.TryAddSingleton(sp =>
        {
            var o = sp.GetRequiredService<IOptions<TracingOptions>>().Value;
            return new RecentTraces(o.RecentTraces, o.SpansPerTrace);
        });
        services.TryAddEnumerable(ServiceDescriptor.Singleton<Microsoft.Extensions.Hosting.IHostedService, TracerHost>());
        return services;
    }

    private sealed class TracingFromConfiguration(IConfiguration configuration) : IConfigureOptions<TracingOptions>
    {
        public void Configure(TracingOptions options) => options.ReadFrom(configuration);
    }

    private sealed class TracingOptionsValidator : IValidateOptions<TracingOptions>
    {
        public ValidateOptionsResult Validate(string? name, TracingOptions options) =>
            options.Errors().ToList() is { Count: > 0 } errors ? ValidateOptionsResult.Fail(errors) : ValidateOptionsResult.Success;
    }
}
