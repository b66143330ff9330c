using System.Diagnostics;
using System.Net;
using System.Text;
using Wafer.Tests.Shared;

namespace Wafer.Cli.Tests;

/// <summary>
/// The container image (container/Containerfile), built offline by scripts/container.sh with podman: it runs as a
/// non-root user, serves the plugins mounted at /plugins, reads its settings from WAFER_* variables, and its
/// HEALTHCHECK passes. Slow (the first build makes the Debian base with mmdebstrap, about 2 to 10 minutes on a loaded
/// machine; later builds reuse it from WAFER_CONTAINER_CACHE and take the publish and a few seconds of podman), so it
/// is one test. podman, runc and mmdebstrap come from scripts/install-test-deps.sh; building needs root.
/// </summary>
public sealed class ContainerImageTests
{
    private const string Image = "localhost/wafer:test";

    [Fact]
    [Trait("Timing", "Sensitive")]
    public async Task Image_ServesTheMountedPlugins_AsNonRoot_AndIsHealthy()
    {
        Assert.True(File.Exists("/usr/bin/podman"), "podman is not installed: scripts/install-test-deps.sh installs it (with runc and mmdebstrap)");
        var root = CliProcess.RepositoryRoot;
        var environment = new Dictionary<string, string> { ["CONTAINERS_CONF"] = Path.Combine(root, "container", "containers.conf") };
        var built = Stopwatch.StartNew();
        var (code, output) = await RunAsync("bash", [Path.Combine(root, "scripts", "container.sh"), Image], environment, TimeSpan.FromMinutes(30));
        Assert.True(code == 0, output);
        Console.WriteLine($"scripts/container.sh took {built.Elapsed.TotalSeconds:0} s: {output.Trim()}");
        var (sizeCode, size) = await RunAsync("podman", ["image", "inspect", "--format", "{{.Size}}", Image], environment, TimeSpan.FromMinutes(1));
        Assert.True(sizeCode == 0, size);
        // the executable (about 215 MB, not compressed) and its native libraries: no package manager, shell tools or ICU
        Assert.InRange(long.Parse(size.Trim(), System.Globalization.CultureInfo.InvariantCulture), 150_000_000, 260_000_000);

        // the hello example, built on the host, mounted read-only as the plugins folder
        var plugins = Path.Combine(Path.GetTempPath(), "wafer-container-" + Guid.NewGuid().ToString("N")[..8]);
        CopyFolder(Path.Combine(root, "examples", "hello"), Path.Combine(plugins, "hello"));
        // The example names the SDK relative to the repository; the copy names the same folder absolutely.
        var package = Path.Combine(plugins, "hello", "package.json");
        File.WriteAllText(package, File.ReadAllText(package).Replace("file:../../sdk/assemblyscript",
            "file:" + Path.Combine(root, "sdk", "assemblyscript"), StringComparison.Ordinal));
        var (buildCode, buildOutput) = await CliProcess.RunAsync(plugins, TimeSpan.FromMinutes(5), "build", Path.Combine(plugins, "hello"));
        Assert.True(buildCode == 0, buildOutput);

        var port = LoopbackPorts.Free();
        var name = "wafer-test-" + Guid.NewGuid().ToString("N")[..8];
        // host networking, and the address narrowed to loopback by a variable (flags and variables win over the image's WAFER_HOST=0.0.0.0)
        (code, output) = await RunAsync("podman",
            ["run", "-d", "--pull=never", "--name", name, "--network", "host", "-v", $"{plugins}:/plugins:ro",
             "-e", "WAFER_HOST=127.0.0.1", "-e", $"WAFER_PORT={port}", Image, "serve", "--standalone"],
            environment, TimeSpan.FromMinutes(2));
        Assert.True(code == 0, output);
        try
        {
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
            var url = $"http://127.0.0.1:{port}/functions/greet";
            var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(2);
            HttpResponseMessage? answer = null;
            while (DateTime.UtcNow < deadline)
            {
                try
                {
                    answer = await http.PostAsync(url, new StringContent("""{"name":"Ada"}""", Encoding.UTF8, "application/json"));
                    if (answer.StatusCode == HttpStatusCode.OK)
                    {
                        break;
                    }
                }
                catch (HttpRequestException)
                {
                    // not listening yet
                }

                await Task.Delay(250);
            }

            var logs = (await RunAsync("podman", ["logs", name], environment, TimeSpan.FromMinutes(1))).Output;
            Assert.True(answer?.StatusCode == HttpStatusCode.OK, $"POST {url}: {answer?.StatusCode}\n{logs}");
            Assert.Contains("Ada", await answer!.Content.ReadAsStringAsync(), StringComparison.Ordinal);

            // bash's builtins: the image has no coreutils
            var (idCode, id) = await RunAsync("podman",
                ["exec", name, "bash", "-c", "echo $EUID; while read -r key real _; do [[ $key == Gid: ]] && echo $real; done < /proc/self/status; true"],
                environment, TimeSpan.FromMinutes(1));
            Assert.True(idCode == 0, id);
            Assert.Equal(["1654", "1654"], id.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));

            var (healthCode, health) = await RunAsync("podman", ["healthcheck", "run", name], environment, TimeSpan.FromMinutes(1));
            Assert.True(healthCode == 0, $"HEALTHCHECK failed: {health}\n{logs}");
        }
        finally
        {
            await RunAsync("podman", ["rm", "-f", "-t", "5", name], environment, TimeSpan.FromMinutes(1));
        }
    }

    private static Task<(int ExitCode, string Output)> RunAsync(string program, string[] arguments, Dictionary<string, string> environment, TimeSpan timeout) =>
        ExternalProcess.RunAsync(program, Path.GetTempPath(), timeout, environment, arguments);

    private static void CopyFolder(string from, string to)
    {
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(from, file);
            if (relative.StartsWith("node_modules", StringComparison.Ordinal) || relative.StartsWith("build", StringComparison.Ordinal)
                || relative == "package-lock.json") // it records the SDK's path relative to the repository
            {
                continue;
            }

            Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(to, relative))!);
            File.Copy(file, Path.Combine(to, relative));
        }
    }
}
