namespace Wafer.Runtime.Catalog;

/// <summary>A plugin version was refused; the message says which file and why.</summary>
public class PluginLoadException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>A command plugin's <c>files</c> names a host folder this runtime does not grant (<see cref="FolderGrants"/>).</summary>
public sealed class FolderRefusedException(string message, Exception? inner = null) : PluginLoadException(message, inner);
