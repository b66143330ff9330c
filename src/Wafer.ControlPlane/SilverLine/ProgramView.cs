using System.Text.Json.Serialization;
using Wafer.ControlPlane.Fleet;
using Wafer.Protocol.V1;

namespace Wafer.ControlPlane.SilverLine;

/// <summary>A created module as SilverLine's answer carries it (<c>data.details</c>) and <c>POST /api/modules</c> returns it.</summary>
internal sealed record ProgramView(
    [property: JsonPropertyName("type")] string Type,
    [property: JsonPropertyName("uuid")] string Uuid,
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("parent")] string? Parent,
    [property: JsonPropertyName("file")] string File,
    [property: JsonPropertyName("hash")] string Hash,
    [property: JsonPropertyName("apis")] IReadOnlyList<string> Apis,
    [property: JsonPropertyName("args")] ProgramArgsView Args,
    [property: JsonPropertyName("channels")] IReadOnlyList<ChannelBody> Channels,
    [property: JsonPropertyName("restart")] string Restart,
    [property: JsonPropertyName("wallClockSeconds")] int? WallClockSeconds)
{
    public static ProgramView Of(Deployment deployment)
    {
        var program = deployment.Program ?? throw new ArgumentException($"deployment {deployment.Name} is not a module", nameof(deployment));
        return new ProgramView("module", deployment.Name, program.Name, program.Parent, program.File, deployment.Hash, program.Apis,
            new ProgramArgsView(program.Run.Argv, program.Run.Env), program.Run.Channels, program.Run.Restart, program.Run.WallClockSeconds);
    }
}

/// <summary>SilverLine's <c>args</c>: the program's <c>argv</c> and <c>env</c>.</summary>
internal sealed record ProgramArgsView(
    [property: JsonPropertyName("argv")] IReadOnlyList<string> Argv,
    [property: JsonPropertyName("env")] IReadOnlyList<string> Env);
