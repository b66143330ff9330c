using Wafer.Protocol.V1;

namespace Wafer.ControlPlane.Fleet;

/// <summary>
/// What makes a deployment a SilverLine module (docs/silverline.md): one command program, named by its uuid (the
/// deployment's name and its module's id), placed on <see cref="Parent"/> when given, run as <see cref="Run"/> says.
/// </summary>
/// <param name="Name">SilverLine's <c>name</c>: a label, not unique.</param>
/// <param name="File">The <c>file</c> the client named (a deployment's or manifest's name, or a hash).</param>
/// <param name="Parent">The runtime id it must run on; null lets the scheduler choose.</param>
/// <param name="Apis">SilverLine's <c>apis</c>, kept as given.</param>
internal sealed record ProgramSpec(string Name, string File, string? Parent, IReadOnlyList<string> Apis, ProgramBody Run)
{
    /// <summary>What its program is doing, as its runtime last reported it; null until its first run starts.</summary>
    public ProgramStatus? Status { get; init; }
}
