using MQTTnet;
using MQTTnet.Protocol;
using Wafer.Tests.Shared;

namespace Wafer.Cli.Tests;

/// <summary>
/// <c>wafer orchestrator --config config.json</c> with SilverLine's keys (docs/silverline.md "Configuration file"): the
/// broker, its user and the password file, the realm and the HTTP port come from the file, and a flag wins over it.
/// Runs the real command against the shared Mosquitto (WAFER_TEST_MQTT).
/// </summary>
public sealed class SilverLineConfigTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Config_SilverLinesKeys_UsedWithTheFlagWinning()
    {
        var mqtt = new Uri(Environment.GetEnvironmentVariable("WAFER_TEST_MQTT") ?? "mqtt://wafer:wafer-test@127.0.0.1:1883");
        var (user, password) = (mqtt.UserInfo.Split(':')[0], Uri.UnescapeDataString(mqtt.UserInfo.Split(':')[1]));
        var folder = Directory.CreateTempSubdirectory("wafer-silverline-config-").FullName;
        var realm = "lab" + Guid.NewGuid().ToString("N")[..8];
        var (filePort, flagPort) = (LoopbackPorts.Free(), LoopbackPorts.Free());
        File.WriteAllText(Path.Combine(folder, "mqtt_pwd.txt"), password + "\n");
        File.WriteAllText(Path.Combine(folder, "config.json"), $$"""
            {"http": "localhost", "http_port": {{filePort}}, "debug": true, "realm": "{{realm}}", "mqtt": "{{mqtt.Host}}",
             "mqtt_port": {{mqtt.Port}}, "use_ssl": false, "mqtt_username": "{{user}}", "pwd": "mqtt_pwd.txt", "log_dir": ".",}
            """);

        using var orchestrator = WaferProcess.Start(
            "orchestrator", "--config", Path.Combine(folder, "config.json"), "--port", flagPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--storagePath", folder);
        await orchestrator.WaitForLineAsync($"orchestrator serving on http://127.0.0.1:{flagPort}", Timeout);
        using var client = new MqttClientFactory().CreateMqttClient();
        var statuses = new List<string>();
        client.ApplicationMessageReceivedAsync += e =>
        {
            lock (statuses)
            {
                statuses.Add(e.ApplicationMessage.Topic);
            }

            return Task.CompletedTask;
        };
        await client.ConnectAsync(new MqttClientOptionsBuilder().WithTcpServer(mqtt.Host, mqtt.Port).WithCredentials(user, password)
            .WithProtocolVersion(MQTTnet.Formatter.MqttProtocolVersion.V500).Build());
        await client.SubscribeAsync($"{realm}/wafer/v1/orchestrator/status", MqttQualityOfServiceLevel.AtLeastOnce);

        var deadline = DateTime.UtcNow + Timeout;
        while (true)
        {
            lock (statuses)
            {
                if (statuses.Count > 0)
                {
                    break;
                }
            }

            Assert.True(DateTime.UtcNow < deadline, $"no orchestrator status in realm {realm}; the process printed:\n{orchestrator.Output}");
            await Task.Delay(50);
        }

        Assert.Contains($"broker mqtt://{mqtt.Host}:{mqtt.Port}", orchestrator.Output, StringComparison.Ordinal);
        using var http = new HttpClient();
        await Assert.ThrowsAsync<HttpRequestException>(() => http.GetAsync($"http://127.0.0.1:{filePort}/healthz"));
        await client.PublishAsync(new MqttApplicationMessageBuilder().WithTopic($"{realm}/wafer/v1/orchestrator/status").WithRetainFlag(true).Build());
    }

    [Fact]
    public async Task Config_PasswordFileMissing_RefusedNamingTheKeyAndFile()
    {
        var folder = Directory.CreateTempSubdirectory("wafer-silverline-config-").FullName;
        File.WriteAllText(Path.Combine(folder, "config.json"), """{"mqtt": "127.0.0.1", "pwd": "absent.txt"}""");

        var (code, output) = await CliProcess.RunAsync(folder, Timeout, "orchestrator", "--config", Path.Combine(folder, "config.json"));

        Assert.True(code == 2, output);
        Assert.Contains($"pwd names the broker password file {Path.Combine(folder, "absent.txt")}, which cannot be read", output, StringComparison.Ordinal);
    }
}
