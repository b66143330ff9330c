using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Wafer.Gateway.Http;

namespace Wafer.Gateway.Tests;

/// <summary>The gateway's answers to function calls are public: a runtime's address never appears in them.</summary>
public sealed class GatewayProblemTests
{
    [Fact]
    public async Task Unreachable_HidesTheRuntimesAddress_KeepsTheCause()
    {
        var context = new DefaultHttpContext { RequestServices = new ServiceCollection().AddLogging().AddProblemDetails().BuildServiceProvider() };
        context.Response.Body = new MemoryStream();

        await GatewayProblems.Unreachable("web", "rt-1", "Request: connecting to 10.1.2.3:8687: Connection reset by peer (10.1.2.3:8687)", timedOut: false)
            .ExecuteAsync(context);

        context.Response.Body.Position = 0;
        var problem = JsonDocument.Parse(context.Response.Body).RootElement;
        Assert.Equal(StatusCodes.Status502BadGateway, context.Response.StatusCode);
        Assert.Equal("runtime 'rt-1' serving 'web' failed: Request: connecting to [address hidden]: Connection reset by peer ([address hidden])",
            problem.GetProperty("detail").GetString());
    }
}
