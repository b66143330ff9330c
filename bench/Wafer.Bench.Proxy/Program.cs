// The reference the gateway load script measures the gateway against: the least a .NET reverse proxy does for a
// function call over HTTP. Kestrel takes the caller's request, one HttpMessageInvoker sends it to the runtime's h2c
// listener (HTTP/2 with prior knowledge, as the gateway did before the call protocol), the answer goes back; no
// routes, health, retries, headers or metrics. Usage: Wafer.Bench.Proxy RUNTIME_H2C_URL PORT
using System.Net;

if (args.Length != 2 || !int.TryParse(args[1], out var port))
{
    Console.Error.WriteLine("usage: Wafer.Bench.Proxy RUNTIME_H2C_URL PORT");
    return 2;
}

var target = args[0].TrimEnd('/');
var builder = WebApplication.CreateSlimBuilder();
builder.Logging.ClearProviders();
builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
builder.WebHost.ConfigureKestrel(k => k.AddServerHeader = false);
var app = builder.Build();
using var runtime = new HttpMessageInvoker(new SocketsHttpHandler
{
    UseProxy = false,
    AllowAutoRedirect = false,
    UseCookies = false,
    ActivityHeadersPropagator = null,
    EnableMultipleHttp2Connections = true,
});

app.Run(async context =>
{
    var body = new byte[(int)(context.Request.ContentLength ?? 0)];
    await context.Request.Body.ReadExactlyAsync(body, context.RequestAborted);
    using var request = new HttpRequestMessage(HttpMethod.Post, target + context.Request.Path.Value)
    {
        Version = HttpVersion.Version20,
        VersionPolicy = HttpVersionPolicy.RequestVersionExact,
        Content = new ByteArrayContent(body),
    };
    request.Content.Headers.TryAddWithoutValidation("Content-Type", context.Request.ContentType);
    using var response = await runtime.SendAsync(request, context.RequestAborted);
    var answer = await response.Content.ReadAsByteArrayAsync(context.RequestAborted);
    context.Response.StatusCode = (int)response.StatusCode;
    context.Response.ContentType = response.Content.Headers.ContentType?.ToString();
    context.Response.ContentLength = answer.Length;
    await context.Response.Body.WriteAsync(answer, context.RequestAborted);
});

await app.RunAsync();
return 0;
