namespace Wafer.Cli.Configuration;

/// <summary>A configuration file or value that cannot be used; the message names the file, key or variable.</summary>
public sealed class ConfigurationException(string message) : Exception(message);
