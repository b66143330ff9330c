using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Wafer.Hosting.Http;

/// <summary>
/// Turns an exception that escaped an endpoint into a problem: a request the framework could not read (a body over
/// the server's limit, a query value that does not bind, a body that is not the JSON it expects) keeps its status
/// and the framework's message, which names the parameter; anything else is a 500 whose detail leaks nothing
/// (the exception goes to the log).
/// </summary>
internal sealed partial class ExceptionProblems(IProblemDetailsService problems, ILogger<ExceptionProblems> logger) : IExceptionHandler
{
    /// <summary>All a client learns of a failure inside the server.</summary>
    public const string InternalDetail = "the server failed to handle the request; its log says why";

    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        int status;
        string detail;
        if (exception is BadHttpRequestException bad)
        {
            status = bad.StatusCode;
            detail = bad.Message;
            RequestRefused(logger, httpContext.Request.Method, httpContext.Request.Path, status, bad.Message);
        }
        else
        {
            status = StatusCodes.Status500InternalServerError;
            detail = InternalDetail;
            RequestFailed(logger, httpContext.Request.Method, httpContext.Request.Path, exception);
        }

        httpContext.Response.StatusCode = status;
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            ProblemDetails = { Status = status, Detail = detail },
            Exception = exception,
        });
    }

    [LoggerMessage(EventId = 4000, EventName = "RequestFailed", Level = LogLevel.Error, Message = "{Method} {Path} failed; answered 500")]
    private static partial void RequestFailed(ILogger logger, string method, PathString path, Exception exception);

    [LoggerMessage(EventId = 4001, EventName = "RequestRefused", Level = LogLevel.Debug, Message = "{Method} {Path} refused with {Status}: {Reason}")]
    private static partial void RequestRefused(ILogger logger, string method, PathString path, int status, string reason);
}
