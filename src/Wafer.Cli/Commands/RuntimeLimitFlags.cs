using System.CommandLine;
using Wafer.Runtime.Hosting;
using Wafer.Wasm;

namespace Wafer.Cli.Commands;

/// <summary>
/// The runtime's limits as flags, shared by <c>serve</c> and <c>runtime</c> (docs/cli.md, "Limits"): execution slots,
/// the call port, and what a module may hold. Defaults are <see cref="RuntimeOptions"/>' own.
/// </summary>
internal sealed class RuntimeLimitFlags
{
    private static readonly RuntimeOptions Defaults = new();

    private readonly Option<int> _maxConcurrentCalls = new("--maxConcurrentCalls")
    {
        Description = "Guest calls running at once (functions, GraphQL fields, handlers); more wait, or are answered 503", DefaultValueFactory = _ => Defaults.MaxConcurrentCalls,
    };

    private readonly Option<int?> _perFunction = new("--maxConcurrentCallsPerFunction")
    {
        Description = "One function's share of --maxConcurrentCalls, and how many of its calls may wait besides (default: half of --maxConcurrentCalls)",
    };

    private readonly Option<int> _maxQueued = new("--maxQueuedCalls") { Description = "Calls waiting for a slot at once; beyond it, 503", DefaultValueFactory = _ => Defaults.MaxQueuedCalls };

    private readonly Option<string> _queueTimeout = new("--queueTimeout") { Description = "How long a call waits for a slot before it is answered 503 unrun (e.g. 1s, 500ms)", DefaultValueFactory = _ => "1s" };

    private readonly Option<int> _perConnection = new("--maxCallsPerConnection")
    {
        Description = "Calls read and not yet answered per call-protocol connection; the rest wait unread", DefaultValueFactory = _ => Defaults.MaxCallsPerConnection,
    };

    private readonly Option<int> _maxFunctions = new("--maxFunctions") { Description = "Functions one plugin's metadata may declare", DefaultValueFactory = _ => Defaults.MaxFunctions };

    private readonly Option<long> _maxModuleBytes = new("--maxModuleBytes") { Description = "Largest module file", DefaultValueFactory = _ => ModuleLimits.DefaultMaxBytes };

    private readonly Option<int> _maxModuleFunctions = new("--maxModuleFunctions") { Description = "Functions a module may define", DefaultValueFactory = _ => ModuleLimits.DefaultMaxFunctions };

    private readonly Option<int> _maxModuleImports = new("--maxModuleImports") { Description = "Imports a module may have", DefaultValueFactory = _ => ModuleLimits.DefaultMaxImports };

    private readonly Option<int> _maxModuleExports = new("--maxModuleExports") { Description = "Exports a module may have", DefaultValueFactory = _ => ModuleLimits.DefaultMaxExports };

    private readonly Option<int> _maxMetadataBytes = new("--maxMetadataBytes") { Description = "Largest metadata section (wafer.meta)", DefaultValueFactory = _ => ModuleLimits.DefaultMaxMetadataBytes };

    public void AddTo(Command command)
    {
        foreach (var option in (Option[])[_maxConcurrentCalls, _perFunction, _maxQueued, _queueTimeout, _perConnection, _maxFunctions,
                     _maxModuleBytes, _maxModuleFunctions, _maxModuleImports, _maxModuleExports, _maxMetadataBytes])
        {
            command.Options.Add(option);
        }
    }

    /// <summary>Sets the limits on <paramref name="options"/>; the usage error, or null. <see cref="RuntimeOptions.Validate"/> checks ranges.</summary>
    public string? Apply(ParseResult parse, RuntimeOptions options)
    {
        if (!DurationParser.TryParse(parse.GetValue(_queueTimeout)!, out var queueTimeout))
        {
            return $"--queueTimeout: '{parse.GetValue(_queueTimeout)}' is not a duration such as 1s or 500ms";
        }

        options.MaxConcurrentCalls = parse.GetValue(_maxConcurrentCalls);
        options.MaxConcurrentCallsPerFunction = parse.GetValue(_perFunction);
        options.MaxQueuedCalls = parse.GetValue(_maxQueued);
        options.QueueTimeout = queueTimeout;
        options.MaxCallsPerConnection = parse.GetValue(_perConnection);
        options.MaxFunctions = parse.GetValue(_maxFunctions);
        options.ModuleLimits = new ModuleLimits
        {
            MaxBytes = parse.GetValue(_maxModuleBytes),
            MaxFunctions = parse.GetValue(_maxModuleFunctions),
            MaxImports = parse.GetValue(_maxModuleImports),
            MaxExports = parse.GetValue(_maxModuleExports),
            MaxMetadataBytes = parse.GetValue(_maxMetadataBytes),
        };
        return null;
    }
}
