namespace Wafer.Runtime.Catalog;

/// <summary>A plugin version was refused; the message says which file and why.</summary>
public sealed class PluginLoadException(string message, Exception? inner = null) : Exception(message, inner);
