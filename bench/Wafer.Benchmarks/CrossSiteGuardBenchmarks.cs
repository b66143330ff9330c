using BenchmarkDotNet.Attributes;
using Microsoft.AspNetCore.Http;
using Wafer.Hosting.Http;

namespace Wafer.Benchmarks;

/// <summary>
/// What the runtime's cross-site guard adds to a function call (<c>POST /functions/greet</c>, which is never a control
/// request), and what it costs on a control request a browser sent.
/// </summary>
[MemoryDiagnoser]
public class CrossSiteGuardBenchmarks
{
    private readonly HttpRequest _call = Request("POST", "/functions/greet", null);
    private readonly HttpRequest _control = Request("POST", "/api/plugins", "https://evil.example");

    private static HttpRequest Request(string method, string path, string? origin)
    {
        var context = new DefaultHttpContext();
        context.Request.Method = method;
        context.Request.Path = path;
        context.Request.Host = new HostString("127.0.0.1:8686");
        if (origin is not null)
        {
            context.Request.Headers.Origin = origin;
        }

        return context.Request;
    }

    [Benchmark(Baseline = true, Description = "function call: is it a control request?")]
    public bool FunctionCall() => CrossSiteGuard.IsControl(_call) && CrossSiteGuard.Refusal(_call, hasToken: false) is not null;

    [Benchmark(Description = "browser control request from another site")]
    public bool CrossSiteControl() => CrossSiteGuard.IsControl(_control) && CrossSiteGuard.Refusal(_control, hasToken: false) is not null;
}
