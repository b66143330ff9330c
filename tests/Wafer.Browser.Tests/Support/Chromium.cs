namespace Wafer.Browser.Tests.Support;

/// <summary>
/// One headless Chromium for every test of the run: Debian's (<c>apt-get install chromium</c>, installed by
/// scripts/install-test-deps.sh), driven by Playwright's driver from its NuGet package. Playwright's own browser
/// download is never used.
/// </summary>
public sealed class Chromium : IAsyncLifetime
{
    public const string ExecutableVariable = "WAFER_TEST_CHROMIUM";

    private IPlaywright? _playwright;

    public IBrowser Browser { get; private set; } = null!;

    public static string Executable => Environment.GetEnvironmentVariable(ExecutableVariable) is { Length: > 0 } path ? path : "/usr/bin/chromium";

    public async ValueTask InitializeAsync()
    {
        if (!File.Exists(Executable))
        {
            throw new InvalidOperationException($"{Executable} is missing: apt-get install chromium (scripts/install-test-deps.sh does), or set {ExecutableVariable}");
        }

        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Executable,
            Headless = true,
            Args = ["--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu"],
        });
    }

    /// <summary>A fresh page (own cookies and storage) that records what would make a console page broken.</summary>
    public async Task<WatchedPage> OpenAsync(Uri server)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = server.ToString(), ViewportSize = new ViewportSize { Width = 1400, Height = 900 } });
        context.SetDefaultTimeout(30_000);
        return new WatchedPage(context, await context.NewPageAsync(), server);
    }

    public async ValueTask DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }

        _playwright?.Dispose();
    }
}
