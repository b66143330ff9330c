using MQTTnet;
using MQTTnet.Protocol;

namespace Wafer.Fleet.Tests.Support;

/// <summary>The shared test Mosquitto: clearing what earlier tests left retained (it is never stopped: tests that stop a broker start their own, <see cref="Mosquitto"/>).</summary>
public static class Broker
{
    /// <summary>Removes every retained <c>realm/wafer/v1/…</c> message so a test starts from an empty fleet.</summary>
    public static async Task ClearRetainedAsync()
    {
        var uri = new Uri(Repository.BrokerUrl);
        using var client = new MqttClientFactory().CreateMqttClient();
        var topics = new HashSet<string>(StringComparer.Ordinal);
        client.ApplicationMessageReceivedAsync += e =>
        {
            if (e.ApplicationMessage.Retain && e.ApplicationMessage.Payload.Length > 0)
            {
                lock (topics)
                {
                    topics.Add(e.ApplicationMessage.Topic);
                }
            }

            return Task.CompletedTask;
        };
        var builder = new MqttClientOptionsBuilder().WithTcpServer(uri.Host, uri.Port).WithClientId("fleet-tests-cleaner-" + Guid.NewGuid().ToString("N")[..6]);
        if (uri.UserInfo.Split(':', 2) is [var user, var password])
        {
            builder = builder.WithCredentials(Uri.UnescapeDataString(user), Uri.UnescapeDataString(password));
        }

        await client.ConnectAsync(builder.Build());
        await client.SubscribeAsync("realm/wafer/v1/#", MqttQualityOfServiceLevel.AtLeastOnce);
        await Task.Delay(500);
        string[] found;
        lock (topics)
        {
            found = [.. topics];
        }

        foreach (var topic in found)
        {
            await client.PublishAsync(new MqttApplicationMessageBuilder().WithTopic(topic).WithPayload(Array.Empty<byte>()).WithRetainFlag(true)
                .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build());
        }

        await client.DisconnectAsync();
    }
}
