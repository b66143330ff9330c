using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Wafer.Protocol.Metadata;
using Wafer.Runtime.Capabilities;
using Wafer.Runtime.Catalog;
using Wafer.Runtime.Invocation;
using Wafer.Runtime.Logs;
using Wafer.Wasm.Abi;

namespace Wafer.Runtime.Modus.Agents;

/// <summary>
/// Modus agents: long-lived stateful instances of an app's module, one per agent, driven through the module's
/// <c>_modus_agent_*</c> exports (both lifecycle variants: <c>activate(name, id)</c> with <c>handle_event</c>, and
/// the older <c>activate(name, id, reloading)</c> with <c>shutdown</c>). Messages to one agent run one at a time;
/// after each, the guest's state (<c>_modus_agent_get_state</c>) is saved, so an agent survives a runtime restart
/// and a reload of its app: its next message re-activates it in a new instance with the saved state.
/// </summary>
internal sealed partial class ModusAgents(
    PluginCatalog catalog, AgentStore store, GuestLogSink logs, CapabilityDispatcher capabilities, ILogger<ModusAgents> logger) : IDisposable
{
    private const int MaxEvents = 100;

    private readonly ConcurrentDictionary<string, Agent> _agents = new(StringComparer.Ordinal);

    /// <summary>Starts agent <paramref name="name"/> of <paramref name="plugin"/>: activated and initialized before this returns.</summary>
    public AgentRecord Start(string plugin, string name)
    {
        var agent = new Agent(new AgentRecord(AgentStore.NewId(), name, plugin, AgentRecord.Running, null, DateTimeOffset.UtcNow));
        lock (agent)
        {
            Activate(agent, restoring: false);
            _agents[agent.Record.Id] = agent;
            return agent.Record;
        }
    }

    /// <summary>Sends a message and returns the agent's answer (null when it has none), or throws with why it failed.</summary>
    public string? Send(string plugin, string id, string message, string? data)
    {
        var agent = Find(plugin, id);
        lock (agent)
        {
            if (agent.Record.Status != AgentRecord.Running)
            {
                throw new InvalidOperationException($"agent {id} is {agent.Record.Status}");
            }

            if (agent.Instance is null || agent.Instance.IsFresh || agent.Version != Current(agent).Hash)
            {
                Activate(agent, restoring: true);
            }

            var answer = Run(agent, "_modus_agent_handle_message", [message, data]);
            SaveState(agent);
            return answer.ValueKind == JsonValueKind.String ? answer.GetString() : null;
        }
    }

    public AgentRecord Stop(string plugin, string id)
    {
        var agent = Find(plugin, id);
        lock (agent)
        {
            if (agent.Record.Status == AgentRecord.Running)
            {
                if (agent.Instance is null || agent.Instance.IsFresh)
                {
                    Activate(agent, restoring: true);
                }

                if (Exports(agent).Agents.ContainsKey("_modus_agent_handle_event"))
                {
                    Run(agent, "_modus_agent_handle_event", ["terminate"]);
                }
                else if (Exports(agent).Agents.ContainsKey("_modus_agent_shutdown"))
                {
                    Run(agent, "_modus_agent_shutdown", [false]);
                }

                agent.Record = agent.Record with { Status = AgentRecord.Terminated, Updated = DateTimeOffset.UtcNow };
                store.Save(agent.Record);
                agent.Close();
                Publish(agent, AgentEvent.StatusUpdated(AgentRecord.Terminated), last: true);
            }

            return agent.Record;
        }
    }

    public AgentRecord Info(string plugin, string id) => Find(plugin, id).Record;

    /// <summary>The running agents of an app.</summary>
    public IReadOnlyList<AgentRecord> List(string plugin) =>
        [.. store.All().Select(r => _agents.TryGetValue(r.Id, out var live) ? live.Record : r)
            .Where(r => r.Plugin == plugin && r.Status == AgentRecord.Running)
            .OrderBy(r => r.Id, StringComparer.Ordinal)];

    /// <summary>Records an event an agent published: kept with the agent (the last 100), logged, and sent to its watchers.</summary>
    public void Publish(string plugin, string id, string name, string? data)
    {
        var agent = Find(plugin, id);
        Publish(agent, new AgentEvent(name, data, DateTimeOffset.UtcNow));
        AgentEventPublished(logger, plugin, id, name, data ?? "null");
    }

    /// <summary>
    /// The events agent <paramref name="id"/> publishes from now on (the <c>agentEvent</c> subscription), ending
    /// after its <c>agentStatusUpdated</c> event to <c>terminated</c>; an agent already terminated ends at once.
    /// Watchers are told on the publishing thread and must not block.
    /// </summary>
    public IObservable<AgentEvent> Watch(string id)
    {
        if (!_agents.TryGetValue(id, out var agent))
        {
            var saved = store.Load(id) ?? throw new KeyNotFoundException($"agent {id} does not exist");
            agent = _agents.GetOrAdd(id, _ => new Agent(saved));
        }

        return new AgentEvents(agent);
    }

    private static void Publish(Agent agent, AgentEvent @event, bool last = false)
    {
        IObserver<AgentEvent>[] watchers;
        lock (agent.Events)
        {
            agent.Events.Enqueue(@event);
            while (agent.Events.Count > MaxEvents)
            {
                agent.Events.Dequeue();
            }

            watchers = [.. agent.Watchers];
            if (last)
            {
                agent.Watchers.Clear();
            }
        }

        foreach (var watcher in watchers)
        {
            watcher.OnNext(@event);
            if (last)
            {
                watcher.OnCompleted();
            }
        }
    }

    public IReadOnlyList<AgentEvent> Events(string plugin, string id)
    {
        var agent = Find(plugin, id);
        lock (agent.Events)
        {
            return [.. agent.Events];
        }
    }

    private Agent Find(string plugin, string id)
    {
        if (_agents.TryGetValue(id, out var live) && live.Record.Plugin == plugin)
        {
            return live;
        }

        var saved = store.Load(id);
        if (saved is null || saved.Plugin != plugin)
        {
            throw new KeyNotFoundException($"agent {id} does not exist in {plugin}");
        }

        return _agents.GetOrAdd(id, _ => new Agent(saved));
    }

    /// <summary>A new instance for the agent on its app's current version: activated, then initialized (new) or given its saved state (restored).</summary>
    private void Activate(Agent agent, bool restoring)
    {
        agent.Close();
        var plugin = Current(agent);
        if (plugin.Modus?.Abi is null)
        {
            throw new InvalidOperationException($"{plugin.Name} is not a Modus app");
        }

        if (!plugin.TryAcquire())
        {
            throw new InvalidOperationException($"agent {agent.Record.Id}: its app {plugin.Name} was just replaced; retry");
        }

        // The lease keeps this version's module alive for as long as the agent's instance runs on it.
        agent.Plugin = plugin;
        agent.Leased = plugin;
        agent.Version = plugin.Hash;
        agent.Instance = plugin.Module.OpenResident();
        var activate = Exports(agent).AgentFunctions.GetValueOrDefault("_modus_agent_activate")
            ?? throw new InvalidOperationException($"{plugin.Name} has no agent entry points (_modus_agent_activate)");
        Run(agent, "_modus_agent_activate", activate.Parameters.Count == 3 ? [agent.Record.Name, agent.Record.Id, restoring] : [agent.Record.Name, agent.Record.Id]);
        if (restoring)
        {
            Run(agent, "_modus_agent_set_state", [agent.Record.State]);
        }

        if (Exports(agent).Agents.ContainsKey("_modus_agent_handle_event"))
        {
            Run(agent, "_modus_agent_handle_event", [restoring ? "resume" : "initialize"]);
        }

        SaveState(agent);
    }

    private void SaveState(Agent agent)
    {
        var state = Run(agent, "_modus_agent_get_state", []);
        agent.Record = agent.Record with { State = state.ValueKind == JsonValueKind.String ? state.GetString() : null, Updated = DateTimeOffset.UtcNow };
        store.Save(agent.Record);
    }

    /// <summary>Runs one agent export in the agent's instance; a failure (an abort, a timeout) throws with its message.</summary>
    private JsonElement Run(Agent agent, string export, object?[] arguments)
    {
        var exports = Exports(agent);
        if (!exports.Agents.TryGetValue(export, out var index))
        {
            throw new InvalidOperationException($"{agent.Plugin!.Name} does not export {export}");
        }

        var function = new RegisteredFunction(agent.Plugin!, new FunctionMetadata(-1, export, [], WasmType.Void, null));
        var context = new GuestCallContext(logs, capabilities, CallIds.Next(), function, Stopwatch.GetTimestamp());
        using var document = JsonDocument.Parse(JsonSerializer.SerializeToUtf8Bytes(arguments));
        var abi = agent.Plugin!.Modus!.Abi!;
        var root = document.RootElement;
        var result = agent.Instance!.Run(context, session => abi.Call(exports.AgentFunctions[export], index, root, session));
        if (!result.Succeeded)
        {
            throw new InvalidOperationException($"agent {agent.Record.Id}: {export} failed: {result.Status}: {result.Message}");
        }

        using var output = JsonDocument.Parse(result.ResultJson!);
        return output.RootElement.Clone();
    }

    private static ModusExports Exports(Agent agent) => agent.Plugin!.Modus!.Abi!.ExportIndexes;

    private LoadedPlugin Current(Agent agent) =>
        catalog.Current.PluginsByName.GetValueOrDefault(agent.Record.Plugin)
            ?? throw new InvalidOperationException($"agent {agent.Record.Id}: its app {agent.Record.Plugin} is not loaded");

    public void Dispose()
    {
        foreach (var agent in _agents.Values)
        {
            lock (agent)
            {
                agent.Close();
            }
        }
    }

    private sealed class Agent(AgentRecord record)
    {
        public AgentRecord Record { get; set; } = record;

        public LoadedPlugin? Plugin { get; set; }

        public string? Version { get; set; }

        public ResidentInstance? Instance { get; set; }

        public LoadedPlugin? Leased { get; set; }

        /// <summary>The last events; its lock also guards <see cref="Watchers"/>.</summary>
        public Queue<AgentEvent> Events { get; } = new();

        public List<IObserver<AgentEvent>> Watchers { get; } = [];

        public void Close()
        {
            Instance?.Dispose();
            Instance = null;
            Leased?.Release();
            Leased = null;
        }
    }

    /// <summary>One watcher's view of an agent's events: added to its watchers until disposed.</summary>
    private sealed class AgentEvents(Agent agent) : IObservable<AgentEvent>
    {
        public IDisposable Subscribe(IObserver<AgentEvent> observer)
        {
            lock (agent.Events)
            {
                if (agent.Record.Status != AgentRecord.Terminated)
                {
                    agent.Watchers.Add(observer);
                    return new Unwatch(agent, observer);
                }
            }

            observer.OnCompleted();
            return new Unwatch(agent, observer);
        }
    }

    private sealed class Unwatch(Agent agent, IObserver<AgentEvent> observer) : IDisposable
    {
        public void Dispose()
        {
            lock (agent.Events)
            {
                agent.Watchers.Remove(observer);
            }
        }
    }

    [LoggerMessage(EventId = 2870, EventName = "ModusAgentEvent", Level = LogLevel.Information,
        Message = "Agent {AgentId} of {Plugin} published {Event}: {Data}")]
    private static partial void AgentEventPublished(ILogger logger, string plugin, string agentId, string @event, string data);
}

/// <summary>An event an agent published (<c>publishEvent</c>), or a change of its status; <see cref="Data"/> is JSON text.</summary>
internal sealed record AgentEvent(string Name, string? Data, DateTimeOffset Time)
{
    /// <summary>What Modus publishes when an agent's status changes: <c>agentStatusUpdated</c> with <c>{"status": …}</c>.</summary>
    public static AgentEvent StatusUpdated(string status) =>
        new("agentStatusUpdated", JsonSerializer.Serialize(new { status }), DateTimeOffset.UtcNow);
}
