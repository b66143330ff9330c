namespace Wafer.Protocol.Manifest;

/// <summary>
/// Manifest <c>files</c>: the one host folder a command plugin may use, preopened in the guest as <see cref="GuestPath"/>.
/// </summary>
/// <param name="Path">The host folder as written in the manifest: relative to the manifest's folder, or absolute.</param>
/// <param name="ReadOnly">When true the guest may read but not create, change or delete anything.</param>
public sealed record GrantedFolder(string Path, bool ReadOnly)
{
    /// <summary>Where the folder appears inside the guest.</summary>
    public const string GuestPath = "/data";
}
