using System.Net;
using System.Text.RegularExpressions;
using Wafer.Tests.S3;
using Wafer.Tests.Shared;

namespace Wafer.Cli.Tests;

/// <summary>
/// <c>wafer serve</c> started as Hypermode Runtime and Modus users start their runtimes: their flags and variables do
/// the same job, or are refused with a message that says what to use instead.
/// </summary>
public sealed partial class HypermodeModusFlagsTests : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);
    private readonly string _root = Directory.CreateTempSubdirectory("wafer-seeds-").FullName;

    private string Plugins
    {
        get
        {
            var folder = Path.Combine(_root, "plugins");
            Directory.CreateDirectory(folder);
            return folder;
        }
    }

    private string Storage => Path.Combine(_root, "storage");

    public void Dispose()
    {
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    [Fact]
    public async Task SingleDashFlags_AreTakenAsTheirDoubleDashForms()
    {
        File.Copy(LiveRuntime.Guest("echo.wasm"), Path.Combine(Plugins, "echo.wasm"));
        using var serve = WaferProcess.Start("serve", "-plugins", Plugins, "-port=0", "-refresh=10s", "-standalone", "-storagePath", Storage);

        var url = await ServingUrlAsync(serve);
        using var http = new HttpClient();
        using var response = await http.PostAsync(url + "/functions/hello", new StringContent("{}"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        // The value reaches the flag: a bad one is refused naming it.
        var (code, output) = await CliProcess.RunAsync(_root, Timeout, "serve", "-plugins", Plugins, "-refresh=soon", "-standalone");
        Assert.Equal(2, code);
        Assert.Contains("--refresh: 'soon' is not a duration", output);
    }

    [Fact]
    public async Task PluginAlias_ServesTheFolder()
    {
        File.Copy(LiveRuntime.Guest("echo.wasm"), Path.Combine(Plugins, "echo.wasm"));
        using var serve = WaferProcess.Start("serve", "--plugin", Plugins, "--port", "0", "--standalone", "--storagePath", Storage);

        var url = await ServingUrlAsync(serve);
        using var http = new HttpClient();
        Assert.Equal(HttpStatusCode.OK, (await http.PostAsync(url + "/functions/hello", new StringContent("{}"))).StatusCode);
    }

    [Theory]
    [InlineData("--useAwsSecrets", "--useAwsSecrets: AWS Secrets Manager is not supported; give secrets as environment variables, as files in --secretsDir")]
    [InlineData("--useAwsStorage", "--useAwsStorage: name the bucket with --s3bucket BUCKET")]
    [InlineData("--s3path|shared", "--s3path: name the bucket with --s3bucket BUCKET")]
    [InlineData("--s3bucket|my-bucket|--s3path|a|--plugins|b", "--s3path and --plugins both name the folder inside --s3bucket ('a', 'b'): give one")]
    [InlineData("--s3bucket|My_Bucket", "--s3bucket: 'My_Bucket' is not a bucket name")]
    [InlineData("--s3bucket|my-bucket|--s3path|a/../b", "--s3path: 'a/../b' is not a folder in a bucket")]
    [InlineData("--dgraph|localhost:8080", "--dgraph: 'localhost:8080' is not an http:// or https:// URL")]
    [InlineData("--modelHost|not a host", "ModelHost (--modelHost): 'not a host' is not a host name")]
    [InlineData("--secretsDir|/nonexistent/secrets", "SecretsDirectory (--secretsDir): folder '/nonexistent/secrets' does not exist")]
    public async Task BadSeedFlag_IsRefusedWithWhatToDoInstead(string arguments, string message)
    {
        var (code, output) = await CliProcess.RunAsync(_root, Timeout, ["serve", "--standalone", "--storagePath", Storage, .. arguments.Split('|')]);

        Assert.Equal(2, code);
        Assert.Contains(message, output.ReplaceLineEndings(" "));
    }

    [Theory]
    [InlineData("ENVIRONMENT", "qa", "ENVIRONMENT: 'qa' is not an environment name")]
    [InlineData("MODUS_ENV", "qa", "MODUS_ENV: 'qa' is not an environment name")]
    [InlineData("WAFER_ENVIRONMENT", "qa", "WAFER_ENVIRONMENT: 'qa' is not an environment name")]
    [InlineData("HYPERMODE_MODEL_HOST", "not a host", "ModelHost (--modelHost): 'not a host' is not a host name")]
    [InlineData("WAFER_SECRETS_DIR", "/nonexistent/secrets", "SecretsDirectory (--secretsDir): folder '/nonexistent/secrets' does not exist")]
    public async Task BadSeedVariable_IsRefusedNamingIt(string variable, string value, string message)
    {
        var (code, stdout, stderr) = await CliProcess.RunSeparatelyAsync(new Dictionary<string, string> { [variable] = value }, _root, Timeout,
            "serve", "--plugins", Plugins, "--standalone", "--storagePath", Storage);

        Assert.Equal(2, code);
        Assert.Contains(message, (stdout + stderr).ReplaceLineEndings(" "));
    }

    [Fact]
    public async Task ProductionEnvironment_HidesTheExplorer_AndInfoSaysSo()
    {
        using var serve = WaferProcess.Start(new Dictionary<string, string> { ["ENVIRONMENT"] = "production" },
            "serve", "--plugins", Plugins, "--port", "0", "--standalone", "--storagePath", Storage);
        var url = await ServingUrlAsync(serve);

        using var http = new HttpClient();
        Assert.Contains("\"environment\":\"prod\"", await http.GetStringAsync(url + "/api/info"));
        using var page = new HttpRequestMessage(HttpMethod.Get, url + "/graphql");
        page.Headers.Accept.ParseAdd("text/html");
        Assert.Equal(HttpStatusCode.NotFound, (await http.SendAsync(page)).StatusCode);
    }

    [Theory]
    [InlineData("MODUS_DB")]
    [InlineData("HYPERMODE_METADATA_DB")]
    public async Task StateDatabaseVariable_IsTheStateDatabase(string variable)
    {
        var database = Path.Combine(_root, variable.ToLowerInvariant() + ".db");
        using var serve = WaferProcess.Start(new Dictionary<string, string> { [variable] = database },
            "serve", "--plugins", Plugins, "--port", "0", "--standalone", "--storagePath", Storage);
        await ServingUrlAsync(serve);

        Assert.True(File.Exists(database), $"{database} was not created; the process printed:\n{serve.Output}");
        Assert.False(File.Exists(Path.Combine(Storage, "wafer.db")));
    }

    [Theory]
    [InlineData("hypermode")]
    [InlineData("modus")]
    public async Task S3Bucket_ServesThePluginsOfItsFolder(string form)
    {
        await using var s3 = await S3Server.StartNewAsync();
        await s3.CreateBucketAsync("runtime-plugins");
        await s3.PutFileAsync("runtime-plugins", "shared-plugins/echo.wasm", LiveRuntime.Guest("echo.wasm"));
        string[] location = form == "hypermode"
            ? ["--s3bucket", "runtime-plugins", "--plugins", "shared-plugins"]
            : ["-useAwsStorage", "-s3bucket=runtime-plugins", "-s3path=shared-plugins"];
        using var serve = WaferProcess.Start(s3.Environment, ["serve", "--port", "0", "--standalone", "--storagePath", Storage, "--refresh", "300ms", .. location]);

        var url = await ServingUrlAsync(serve);
        Assert.Contains("Wafer is serving s3://runtime-plugins/shared-plugins/ on", serve.Output);
        using var http = new HttpClient();
        Assert.Equal(HttpStatusCode.OK, (await http.PostAsync(url + "/functions/hello", new StringContent("{}"))).StatusCode);

        await s3.DeleteAsync("runtime-plugins", "shared-plugins/echo.wasm");
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        HttpStatusCode status;
        while ((status = (await http.PostAsync(url + "/functions/hello", new StringContent("{}"))).StatusCode) == HttpStatusCode.OK && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }

        Assert.Equal(HttpStatusCode.NotFound, status);
    }

    private static async Task<string> ServingUrlAsync(TestProcess serve)
    {
        await serve.WaitForLineAsync("Wafer is serving", Timeout);
        return ServingLine().Match(serve.Output).Groups["url"].Value;
    }

    [GeneratedRegex(@"Wafer is serving \S+ on (?<url>http://[^\s(]+)")]
    private static partial Regex ServingLine();
}
