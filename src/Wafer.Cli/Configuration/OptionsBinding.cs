using Microsoft.Extensions.Configuration;

namespace Wafer.Cli.Configuration;

/// <summary>Binds the keys <see cref="PropertyFlags"/> collected under one section onto an options object.</summary>
public static class OptionsBinding
{
    public static void Bind(IReadOnlyDictionary<string, string?> configuration, string section, object target) =>
        new ConfigurationBuilder().AddInMemoryCollection(configuration).Build().GetSection(section).Bind(target);
}
