using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Wafer.Hosting.Http;

/// <summary>
/// One way every Wafer server (runtime, orchestrator, gateway) answers errors: RFC 7807 problems from the shared
/// vocabulary, for its own refusals and for the framework's (<see cref="ProblemWriter"/>, <see cref="ExceptionProblems"/>).
/// </summary>
public static class ProblemServices
{
    public static IServiceCollection AddWaferProblems(this IServiceCollection services)
    {
        // Ours first: the problem details service asks its writers in order.
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IProblemDetailsWriter, ProblemWriter>());
        services.AddProblemDetails();
        services.AddExceptionHandler<ExceptionProblems>();
        // A query value or body that does not bind throws, so the answer names the parameter (ExceptionProblems).
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        return services;
    }

    /// <summary>Problems for unhandled exceptions and for empty error answers (unknown paths, 405, 415). Call it first.</summary>
    public static IApplicationBuilder UseWaferProblems(this IApplicationBuilder app)
    {
        app.UseExceptionHandler();
        return app.UseStatusCodePages();
    }
}
