using System.Collections.Concurrent;

namespace Wafer.Browser.Tests.Support;

/// <summary>
/// A browser page on a Wafer server that keeps what went wrong: script errors, console errors, failed requests, and
/// any request to another origin (the console must work offline).
/// </summary>
public sealed class WatchedPage : IAsyncDisposable
{
    private readonly IBrowserContext _context;
    private readonly ConcurrentQueue<string> _problems = new();

    // GET /api/traces answers 404 where tracing is off: the console asks, and then hides its span views
    private readonly ConcurrentBag<(int Status, string Path)> _expected = [(404, "/api/traces")];

    public WatchedPage(IBrowserContext context, IPage page, Uri server)
    {
        _context = context;
        Page = page;
        page.PageError += (_, error) => _problems.Enqueue("script error: " + error);
        page.Console += (_, message) =>
        {
            // a failed response is judged by its status below, where the expected ones are known
            if (message.Type == "error" && !message.Text.StartsWith("Failed to load resource", StringComparison.Ordinal))
            {
                _problems.Enqueue("console error: " + message.Text);
            }
        };
        page.RequestFailed += (_, request) =>
        {
            // leaving a page cancels its live log stream: that is not a failure
            if (request.Failure is not "net::ERR_ABORTED")
            {
                _problems.Enqueue($"request failed: {request.Url} {request.Failure}");
            }
        };
        page.Response += (_, response) =>
        {
            var path = new Uri(response.Url).AbsolutePath;
            if (response.Status >= 400 && !_expected.Any(e => e.Status == response.Status && path.StartsWith(e.Path, StringComparison.Ordinal)))
            {
                _problems.Enqueue($"{response.Status} from {response.Request.Method} {response.Url}");
            }
        };
        page.Request += (_, request) =>
        {
            var url = new Uri(request.Url);
            if (url.Scheme is "http" or "https" && url.Authority != server.Authority)
            {
                _problems.Enqueue("request to another origin: " + request.Url);
            }
        };
    }

    public IPage Page { get; }

    /// <summary>A status the test provokes on purpose (a wrong token's 401) is not a problem of the page.</summary>
    public void Expect(int status, string pathPrefix) => _expected.Add((status, pathPrefix));

    public IReadOnlyCollection<string> Problems => _problems.ToArray();

    /// <summary>
    /// Saves the page as DIR/NAME.png when WAFER_CONSOLE_SCREENSHOTS names a folder (scripts/console-screenshots.sh
    /// sets it to docs/console); does nothing otherwise.
    /// </summary>
    public async Task ScreenshotAsync(string name)
    {
        if (Environment.GetEnvironmentVariable(ScreenshotsVariable) is { Length: > 0 } folder)
        {
            Directory.CreateDirectory(folder);
            await Page.WaitForTimeoutAsync(2500); // let the charts and live views draw a few points first
            await Page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(folder, name + ".png") });
        }
    }

    public const string ScreenshotsVariable = "WAFER_CONSOLE_SCREENSHOTS";

    public void AssertNoProblems() => Assert.True(_problems.IsEmpty, string.Join('\n', _problems));

    public async ValueTask DisposeAsync() => await _context.DisposeAsync();
}
