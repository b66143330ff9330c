namespace Wafer.Browser.Tests.Support;

/// <summary>
/// One real <c>wafer runtime</c> process serving the hello test guest, shared by the runtime console's tests; it keeps
/// recent spans (<c>--traces</c>), so the console's span views show.
/// </summary>
public sealed class ConsoleRuntime : IAsyncLifetime
{
    public LoneRuntime Runtime { get; private set; } = null!;

    public Uri Url => Runtime.Url;

    public async ValueTask InitializeAsync() =>
        Runtime = await LoneRuntime.StartAsync(new Dictionary<string, string?> { ["hello"] = File.ReadAllText(Repository.Guest("hello.wafer.json")) }, "--traces");

    public async ValueTask DisposeAsync()
    {
        if (Runtime is not null)
        {
            await Runtime.DisposeAsync();
        }
    }
}
