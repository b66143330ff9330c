namespace Wafer.Triggers;

/// <summary>
/// What a <see cref="BrokerConnection"/> reports, each to a named log event of its owner (triggers and channels keep
/// their own event ids, so an operator can tell which client lost the broker).
/// </summary>
/// <param name="Connected">Connected: the broker and the client id.</param>
/// <param name="ConnectFailed">Connecting or subscribing failed: the broker, why, and the milliseconds until the next try.</param>
/// <param name="SubscribeRefused">The broker refused a topic filter: the topic and its reason code.</param>
/// <param name="Subscribed">A topic filter was subscribed; null when the owner does not log it.</param>
public sealed record BrokerConnectionEvents(
    Action<string, string> Connected,
    Action<string, string, int> ConnectFailed,
    Action<string, string> SubscribeRefused,
    Action<string>? Subscribed = null);
