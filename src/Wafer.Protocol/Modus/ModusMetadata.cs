using System.Text.Json;

namespace Wafer.Protocol.Modus;

/// <summary>
/// A Modus module's <c>modus_metadata</c> (version 2): what its build says about its exports, the host imports it
/// uses and the AssemblyScript types they reach, with class ids specific to that build.
/// </summary>
public sealed record ModusMetadata(
    string Plugin,
    string Sdk,
    string? BuildId,
    string? BuildTs,
    string? GitRepo,
    string? GitCommit,
    IReadOnlyList<ModusFunction> Exports,
    IReadOnlyList<ModusFunction> Imports,
    IReadOnlyDictionary<string, ModusTypeDefinition> Types)
{
    public const string VersionSectionName = "modus_metadata_version";
    public const string SectionName = "modus_metadata";
    public const int SupportedVersion = 2;

    /// <summary>The class id of a managed type in this build: ArrayBuffer is 1 and String 2 in every build.</summary>
    public int? ClassId(AsType type) => type.Kind switch
    {
        AsTypeKind.ArrayBuffer => 1,
        AsTypeKind.String => 2,
        _ => Types.TryGetValue(type.Name, out var definition) ? definition.Id : null,
    };

    public ModusFunction? FindExport(string name) => Exports.FirstOrDefault(f => f.Name == name);
}

/// <summary>An exported or imported function: <see cref="Name"/> is the export name, or <c>module.name</c> for an import.</summary>
public sealed record ModusFunction(string Name, IReadOnlyList<ModusParameter> Parameters, AsType? Result, string? Doc);

/// <summary>A parameter; <see cref="Default"/> is its literal default (JSON null included) when it has one.</summary>
public sealed record ModusParameter(string Name, AsType Type, bool HasDefault, JsonElement? Default);

/// <summary>A managed type of the build: its class id and, for classes, its fields in memory order.</summary>
public sealed record ModusTypeDefinition(string Name, int Id, IReadOnlyList<ModusField> Fields, string? Doc);

public sealed record ModusField(string Name, AsType Type, string? Doc);
