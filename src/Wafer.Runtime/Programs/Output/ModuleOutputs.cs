using System.Collections.Concurrent;

namespace Wafer.Runtime.Programs.Output;

/// <summary>
/// What the program modules placed here wrote to stdout and stderr, kept while they are placed: the tail of each
/// stream of the current (or last) run, filled as the program writes (docs/silverline.md, "Output").
/// </summary>
public sealed class ModuleOutputs
{
    private readonly ConcurrentDictionary<string, ModuleOutput> _modules = new(StringComparer.Ordinal);

    /// <summary>A new run of <paramref name="moduleId"/> starts: its output replaces the previous run's.</summary>
    public ModuleOutput Begin(string moduleId, int run) => _modules[moduleId] = new ModuleOutput(moduleId, run);

    public ModuleOutput? Find(string moduleId) => _modules.GetValueOrDefault(moduleId);

    /// <summary>The module left this runtime: its output goes too.</summary>
    public void Forget(string moduleId) => _modules.TryRemove(moduleId, out _);
}

/// <summary>One run's output of one module.</summary>
public sealed class ModuleOutput(string moduleId, int run)
{
    private volatile bool _running = true;

    public string ModuleId => moduleId;

    public int Run => run;

    public bool Running => _running;

    public OutputTail Stdout { get; } = new();

    public OutputTail Stderr { get; } = new();

    public void Ended() => _running = false;
}
