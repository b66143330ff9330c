using System.Net;
using System.Text.RegularExpressions;

namespace Wafer.Browser.Tests;

/// <summary>The console a runtime serves at <c>/</c>, driven in Chromium against a real <c>wafer runtime</c> process.</summary>
public sealed class RuntimeConsoleTests(Chromium chromium, ConsoleRuntime server) : IClassFixture<ConsoleRuntime>
{
    private static readonly LocatorAssertionsToBeVisibleOptions Generous = new() { Timeout = 30_000 };

    [Fact]
    public async Task Root_ServesTheConsole_AndEveryRuntimePageLoads()
    {
        await using var watched = await chromium.OpenAsync(server.Url);
        var page = watched.Page;
        await page.GotoAsync("/");
        await Assertions.Expect(page.GetByTestId("server-kind")).ToContainTextAsync("runtime");

        await page.GetByRole(AriaRole.Link, new() { Name = "Explorer", Exact = true }).ClickAsync();
        await Assertions.Expect(page.Locator(".graphiql-container")).ToBeVisibleAsync(Generous);
        await page.GetByRole(AriaRole.Link, new() { Name = "Functions", Exact = true }).ClickAsync();
        await Assertions.Expect(page.Locator("[data-plugin=hello] [data-function=greet]")).ToContainTextAsync("greet(name: string): string");
        await page.GetByRole(AriaRole.Link, new() { Name = "Logs", Exact = true }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("tail-state")).ToHaveTextAsync("live", new() { Timeout = 30_000 });
        await page.GetByRole(AriaRole.Link, new() { Name = "Inferences", Exact = true }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("inferences-page")).ToContainTextAsync("No inferences recorded yet");
        await watched.ScreenshotAsync("inferences");
        await page.GetByRole(AriaRole.Link, new() { Name = "Jobs", Exact = true }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("jobs-page")).ToContainTextAsync("No jobs yet");
        await watched.ScreenshotAsync("jobs");

        watched.AssertNoProblems();
    }

    [Fact]
    public async Task Explorer_CompletesFromTheSchema_AndRunsAQuery()
    {
        await using var watched = await chromium.OpenAsync(server.Url);
        var page = watched.Page;
        await page.GotoAsync("/#/explorer");
        var editor = page.Locator(".graphiql-query-editor .monaco-editor").First;
        await Assertions.Expect(editor).ToBeVisibleAsync(Generous);
        await editor.ClickAsync();
        await page.Keyboard.PressAsync("ControlOrMeta+A");
        await page.Keyboard.PressAsync("Delete");
        await page.Keyboard.TypeAsync("{ gre");
        await page.Keyboard.PressAsync("Control+Space");
        await Assertions.Expect(page.Locator(".suggest-widget")).ToContainTextAsync("greet", new() { Timeout = 30_000 }); // from the runtime's schema

        await page.Keyboard.PressAsync("Escape");
        await page.Keyboard.PressAsync("ControlOrMeta+A");
        await page.Keyboard.PressAsync("Delete");
        await page.Keyboard.TypeAsync("query Hello { hello");
        await page.Keyboard.PressAsync("Escape");
        // The completion list may open again after the Escape and cover the run button: the click goes to the button itself.
        await page.Locator(".graphiql-execute-button").DispatchEventAsync("click");
        await Assertions.Expect(page.Locator(".graphiql-response")).ToContainTextAsync("Hello, world!", new() { Timeout = 30_000 });
        await watched.ScreenshotAsync("explorer");

        watched.AssertNoProblems();
    }

    [Fact]
    public async Task TryIt_CallsAFunctionWithTheFormItsSignatureBuilt()
    {
        await using var watched = await chromium.OpenAsync(server.Url);
        var page = watched.Page;
        await page.GotoAsync("/#/explorer");
        var form = page.GetByTestId("tryit");
        await form.GetByLabel("function").SelectOptionAsync("hello/greet");
        await form.GetByLabel("name", new() { Exact = true }).FillAsync("browser");
        await form.GetByRole(AriaRole.Button, new() { Name = "POST /functions/hello/greet" }).ClickAsync();

        await Assertions.Expect(page.GetByTestId("tryit-status")).ToHaveTextAsync("200");
        await Assertions.Expect(page.GetByTestId("tryit-body")).ToContainTextAsync("browser");
        watched.AssertNoProblems();
    }

    [Fact]
    public async Task Logs_ShowALineACallWritesAfterThePageOpened()
    {
        await using var watched = await chromium.OpenAsync(server.Url);
        var page = watched.Page;
        await page.GotoAsync("/#/logs?plugin=hello");
        await Assertions.Expect(page.GetByTestId("tail-state")).ToHaveTextAsync("live", new() { Timeout = 30_000 });
        var marker = "seen-live-" + Guid.NewGuid().ToString("N")[..8];

        var (status, body, _) = await server.Runtime.PostAsync("/functions/hello/logAll", JsonSerializer.Serialize(new { message = marker }));
        Assert.True(status == HttpStatusCode.OK, body);

        var line = page.GetByTestId("log-line").Filter(new() { HasText = "info: " + marker });
        await Assertions.Expect(line).ToHaveCountAsync(1, new() { Timeout = 30_000 });
        await Assertions.Expect(line).ToContainTextAsync("hello/logAll");
        await watched.ScreenshotAsync("logs");
        watched.AssertNoProblems();
    }

    [Fact]
    public async Task Spans_OfACall_OpenFromItsLogLine()
    {
        await using var watched = await chromium.OpenAsync(server.Url);
        var page = watched.Page;
        await page.GotoAsync("/#/logs?plugin=hello");
        await Assertions.Expect(page.GetByTestId("tail-state")).ToHaveTextAsync("live", new() { Timeout = 30_000 });
        var marker = "traced-" + Guid.NewGuid().ToString("N")[..8];
        var (status, body, response) = await server.Runtime.PostAsync("/functions/hello/logAll", JsonSerializer.Serialize(new { message = marker }));
        Assert.True(status == HttpStatusCode.OK, body);
        var callId = response.Headers.GetValues("X-Wafer-Call-Id").Single();

        var line = page.GetByTestId("log-line").Filter(new() { HasText = "info: " + marker });
        await line.GetByRole(AriaRole.Link, new() { Name = "spans" }).ClickAsync(new() { Timeout = 30_000 });
        var trace = page.GetByTestId("trace-page");
        await Assertions.Expect(trace).ToContainTextAsync("of call " + callId);
        var span = trace.GetByTestId("span");
        await Assertions.Expect(span).ToHaveCountAsync(1, new() { Timeout = 30_000 });
        await Assertions.Expect(span).ToContainTextAsync("wafer.call");
        await Assertions.Expect(span).ToContainTextAsync(new Regex(@"\d+\.\d\d ms"));
        await watched.ScreenshotAsync("spans");
        watched.AssertNoProblems();
    }

    [Fact]
    public async Task Functions_ChartCallsReadFromMetrics()
    {
        await using var watched = await chromium.OpenAsync(server.Url);
        var page = watched.Page;
        await page.GotoAsync("/#/functions");
        var greet = page.Locator("[data-plugin=hello] [data-function=greet]");
        await Assertions.Expect(greet).ToBeVisibleAsync(Generous);
        for (var i = 0; i < 3; i++)
        {
            var (status, body, _) = await server.Runtime.PostAsync("/functions/hello/greet", """{"name":"chart"}""");
            Assert.True(status == HttpStatusCode.OK, body);
        }

        // counts since start: at least these three calls, none failed; the charts have a p50 once a scrape saw calls
        await Assertions.Expect(greet.GetByTestId("call-count")).ToHaveTextAsync(new Regex(@"^([3-9]|\d\d+) calls, 0 failed since start$"), new() { Timeout = 30_000 });
        await watched.ScreenshotAsync("functions");
        watched.AssertNoProblems();
    }
}
