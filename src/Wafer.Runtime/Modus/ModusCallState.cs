using Wafer.Wasm.Abi;

namespace Wafer.Runtime.Modus;

/// <summary>
/// One call's Modus-side state: the last <c>fatal</c> line (an abort's message and location) and the
/// <c>error</c> lines, which say why a guest that exits with code 1 failed.
/// </summary>
internal sealed class ModusCallState
{
    public string? Fatal { get; set; }

    public List<string> Errors { get; } = [];

    public static ModusCallState Of(IGuestSession session) =>
        session.State as ModusCallState ?? (ModusCallState)(session.State = new ModusCallState());
}
