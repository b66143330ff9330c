namespace Wafer.Runtime.Uploads;

/// <summary>An upload that cannot be served; <see cref="Exception.Message"/> says why. <see cref="Conflict"/> when the name is taken.</summary>
internal sealed class UploadRefusedException(string message, bool conflict = false, Exception? inner = null) : Exception(message, inner)
{
    public bool Conflict { get; } = conflict;
}
