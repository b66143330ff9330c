using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Wafer.Cli.Tests;

/// <summary>
/// Wafer as a user installs it: the NuGet tool package packed from this build, installed with <c>dotnet tool install</c>
/// into a folder of its own, then <c>wafer new</c>, <c>build</c> and <c>serve</c> in a folder outside the repository,
/// with no variable pointing back at the checkout, and a call of the new project's function over HTTP.
/// </summary>
public sealed partial class InstalledToolTests
{
    private static readonly TimeSpan StepTimeout = TimeSpan.FromMinutes(4);

    [Fact]
    [Trait("Category", "Install")]
    public async Task InstalledTool_NewBuildServe_AnswersTheNewProjectsFunction()
    {
        var root = Path.Combine(Path.GetTempPath(), "wafer-tool-tests", Guid.NewGuid().ToString("N")[..12]);
        Assert.False(root.StartsWith(CliProcess.RepositoryRoot, StringComparison.Ordinal), "the test folder must be outside the repository");
        var packages = Path.Combine(root, "packages");
        var tools = Path.Combine(root, "tools");
        var work = Path.Combine(root, "work");
        Directory.CreateDirectory(work);
        try
        {
            // the package of the build this test runs against (the configuration it was built in), without building again
            var configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name;
            var pack = await ExternalProcess.RunAsync("dotnet", root, StepTimeout, "pack", Path.Combine(CliProcess.RepositoryRoot, "src", "Wafer.Cli"),
                "-c", configuration, "--no-build", "-o", packages, "-nologo", "-v", "q");
            Assert.True(pack.ExitCode == 0, pack.Output);
            var package = Assert.Single(Directory.GetFiles(packages, "wafer.*.nupkg"));

            var install = await ExternalProcess.RunAsync("dotnet", root, StepTimeout, "tool", "install", "wafer", "--tool-path", tools, "--add-source", packages);
            Assert.True(install.ExitCode == 0, install.Output);
            Assert.Contains("was successfully installed", install.Output);
            var wafer = Path.Combine(tools, "wafer");
            Assert.True(File.Exists(wafer), $"{wafer} was not installed from {package}");
            var version = await ExternalProcess.RunAsync(wafer, work, StepTimeout, "--version");
            Assert.True(version.ExitCode == 0, version.Output);
            Assert.StartsWith($"wafer {VersionCommandTests.WaferVersion}", version.Output);

            var created = await ExternalProcess.RunAsync(wafer, work, StepTimeout, "new", "greeter");
            Assert.True(created.ExitCode == 0, created.Output);
            var project = Path.Combine(work, "greeter");
            Assert.DoesNotContain(CliProcess.RepositoryRoot, File.ReadAllText(Path.Combine(project, "package.json")));

            var built = await ExternalProcess.RunAsync(wafer, project, StepTimeout, "build");
            Assert.True(built.ExitCode == 0, built.Output);
            Assert.True(File.Exists(Path.Combine(project, "build", "greeter.wasm")), built.Output);
            Assert.True(File.Exists(Path.Combine(project, "package-lock.json")), "the first build writes the lockfile");

            using var server = ExternalProcess.Start(wafer, project, "serve", "--plugins", "build", "--port", "0", "--orchestratorPort", "0",
                "--brokerPort", "0", "--storagePath", Path.Combine(root, "state"));
            var url = ServingLine().Match(await server.WaitForLineAsync(ServingLine().IsMatch, "the line saying where it serves", StepTimeout)).Groups["url"].Value;
            using var http = new HttpClient { BaseAddress = new Uri(url) };
            var response = await http.PostAsJsonAsync("/functions/greet", new { name = "Ada" });
            var body = await response.Content.ReadAsStringAsync();
            Assert.True(response.IsSuccessStatusCode, body);
            Assert.Equal("Hello, Ada!", JsonDocument.Parse(body).RootElement.GetProperty("result").GetString());
        }
        finally
        {
            try
            {
                Directory.Delete(root, recursive: true);
            }
            catch (IOException)
            {
                // a leftover temp folder is not the test's concern
            }
        }
    }

    [GeneratedRegex(@"Wafer is serving .* on (?<url>http://127\.0\.0\.1:\d+) ")]
    private static partial Regex ServingLine();
}
