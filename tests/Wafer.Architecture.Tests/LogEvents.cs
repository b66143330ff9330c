using System.Reflection;
using Microsoft.Extensions.Logging;

namespace Wafer.Architecture.Tests;

/// <summary>Every <c>[LoggerMessage]</c> declared in Wafer's assemblies, found by reflection.</summary>
internal static class LogEvents
{
    /// <summary>The assembly each project builds (the executable's is named after the command).</summary>
    public static IReadOnlyDictionary<string, string> AssemblyOf { get; } = ProjectGraph.Allowed.Keys
        .ToDictionary(p => p, p => p == "Wafer.Cli" ? "wafer" : p, StringComparer.Ordinal);

    public static List<LogEvent> All() =>
        [.. AssemblyOf.SelectMany(p => Declared(p.Key, Assembly.Load(new AssemblyName(p.Value))))];

    private static IEnumerable<LogEvent> Declared(string project, Assembly assembly) =>
        from type in assembly.GetTypes()
        from method in type.GetMethods(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.Instance | BindingFlags.DeclaredOnly)
        let attribute = method.GetCustomAttribute<LoggerMessageAttribute>()
        where attribute is not null
        select new LogEvent(project, $"{type.FullName}.{method.Name}", attribute.EventId, attribute.EventName);
}

internal sealed record LogEvent(string Project, string Method, int Id, string? Name);
