// The plain ASP.NET Core endpoint the load script compares Wafer against: the same request and response
// shapes as POST /functions/greet, doing the same work (parse the JSON body, greet, write JSON), no wasm.
using System.Text.Json;

var builder = WebApplication.CreateSlimBuilder(args);
builder.Logging.ClearProviders();
builder.WebHost.ConfigureKestrel(k => k.AddServerHeader = false);
var app = builder.Build();

app.MapPost("/functions/greet", async (HttpContext context) =>
{
    using var body = await JsonDocument.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted);
    if (!body.RootElement.TryGetProperty("name", out var name) || name.ValueKind != JsonValueKind.String)
    {
        return Results.BadRequest();
    }

    return Results.Json(new Greeting("Hello, " + name.GetString() + "!"), GreetingContext.Default.Greeting);
});

app.Run();

internal sealed record Greeting(string result);

[System.Text.Json.Serialization.JsonSerializable(typeof(Greeting))]
internal sealed partial class GreetingContext : System.Text.Json.Serialization.JsonSerializerContext;
