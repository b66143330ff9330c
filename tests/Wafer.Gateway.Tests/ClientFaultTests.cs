using System.Text;

namespace Wafer.Gateway.Tests;

public sealed class ClientFaultTests
{
    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    [Fact]
    public async Task Experiment_OversizeBody()
    {
        await using var runtime = await RealRuntime.StartAsync("rt-0");
        await using var gateway = await GatewayHost.StartAsync();
        gateway.Routes.Publish(new RouteDocument(1, [RealRuntime.Deployment("hello", [], runtime)]));

        using var ok = await gateway.Client.PostAsync("/functions/hello/greet", Json("""{"name":"a"}"""));
        Console.WriteLine($"ok: {(int)ok.StatusCode} {await ok.Content.ReadAsStringAsync()}");
        var big = $$"""{"name":"{{new string('x', 5 * 1024 * 1024)}}"}""";
        using var oversize = await gateway.Client.PostAsync("/functions/hello/greet", Json(big));
        Console.WriteLine($"oversize: {(int)oversize.StatusCode} {await oversize.Content.ReadAsStringAsync()}");
        using var next = await gateway.Client.PostAsync("/functions/hello/greet", Json("""{"name":"b"}"""));
        Console.WriteLine($"next: {(int)next.StatusCode} {await next.Content.ReadAsStringAsync()}");
    }
}
