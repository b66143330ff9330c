namespace Wafer.Runtime.Catalog;

/// <summary>A plugin version was refused; the message says which file and why.</summary>
internal class PluginLoadException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>A command plugin's <c>files</c> names a host folder this runtime does not grant (<see cref="FolderGrants"/>).</summary>
internal sealed class FolderRefusedException(string message, Exception? inner = null) : PluginLoadException(message, inner);

/// <summary>
/// A plugin name is served by another owner (<see cref="PluginOwner"/>): the folder, an upload or a placement never
/// replaces another's plugin. The message names who serves it.
/// </summary>
internal sealed class PluginOwnedElsewhereException(string message, LoadedPlugin served) : PluginLoadException(message)
{
    public LoadedPlugin Served { get; } = served;
}
