using System.Net;
using Wafer.Runtime.Tests.Support;
using Wafer.Tests.Shared;

namespace Wafer.Runtime.Tests.Http;

/// <summary>GET /metrics: Prometheus text with the runtime's function calls by outcome, their durations, and gauges.</summary>
public sealed class MetricsEndpointTests
{
    [Fact]
    public async Task Metrics_CountCallsByOutcome_WithDurationsAndGauges()
    {
        await using var server = await RuntimeServer.StartAsync(["echo", "divzero"]);
        var trapping = server.Catalog.Current.Plugins.Single(p => p.Name == "divzero").Metadata.Functions[0].Name;
        for (var i = 0; i < 2; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await server.PostJsonAsync("/functions/hello", "")).Response.StatusCode);
        }

        Assert.Equal(HttpStatusCode.InternalServerError, (await server.PostJsonAsync("/functions/" + trapping, "")).Response.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await server.PostJsonAsync("/functions/doesNotExist", "{}")).Response.StatusCode);

        using var response = await server.Client.GetAsync("/metrics");
        var text = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        var lines = text.Split('\n');
        Assert.Contains("""wafer_function_calls_total{plugin="echo",function="hello",outcome="ok"} 2""", lines);
        Assert.Contains($$"""wafer_function_calls_total{plugin="divzero",function="{{trapping}}",outcome="trap"} 1""", lines);
        Assert.Contains("""wafer_function_call_duration_seconds_count{plugin="echo",function="hello"} 2""", lines);
        Assert.Contains("wafer_plugins_loaded 2", lines);
        Assert.Contains("wafer_function_calls_in_flight 0", lines);
        Assert.DoesNotContain("doesNotExist", text); // not found: nothing ran
        Assert.Contains(lines, l => l.StartsWith("process_cpu_seconds_total ", StringComparison.Ordinal));
        await Promtool.AssertValidAsync(text, "a runtime");
    }

    [Fact]
    public async Task Metrics_OfAnUnloadedPlugin_AreDropped_OthersKept()
    {
        await using var server = await RuntimeServer.StartAsync(["echo", "divzero"]);
        var trapping = server.Catalog.Current.Plugins.Single(p => p.Name == "divzero").Metadata.Functions[0].Name;
        Assert.Equal(HttpStatusCode.OK, (await server.PostJsonAsync("/functions/hello", "")).Response.StatusCode);
        Assert.Equal(HttpStatusCode.InternalServerError, (await server.PostJsonAsync("/functions/" + trapping, "")).Response.StatusCode);
        Assert.Contains("plugin=\"divzero\"", await server.Client.GetStringAsync("/metrics"));

        Assert.True(server.Catalog.Remove("divzero"));
        var text = await server.Client.GetStringAsync("/metrics");

        Assert.DoesNotContain("divzero", text);
        Assert.Contains("""wafer_function_calls_total{plugin="echo",function="hello",outcome="ok"} 1""", text.Split('\n'));
        Assert.Contains("wafer_plugins_loaded 1", text.Split('\n'));
    }
}
