using System.Text;
using Wafer.Protocol.Manifest;

namespace Wafer.ControlPlane.Triggers;

/// <summary>
/// Each deployment's parsed manifest, kept while the deployment keeps its manifest text: routes change with every
/// replica that starts, and a fleet of thousands of deployments must not parse every manifest again each time.
/// </summary>
internal sealed class DeploymentManifests
{
    private readonly Dictionary<string, (string Text, PluginManifest? Manifest)> _parsed = new(StringComparer.Ordinal);

    /// <summary>Manifests parsed so far (a deployment's again only when its manifest text changed).</summary>
    public int Parses { get; private set; }

    /// <summary>The manifest of deployment <paramref name="name"/>; null, and <paramref name="problem"/> said once, when it cannot be read.</summary>
    public PluginManifest? Get(string name, string text, out string? problem)
    {
        problem = null;
        if (_parsed.TryGetValue(name, out var known) && known.Text == text)
        {
            return known.Manifest;
        }

        Parses++;
        PluginManifest? manifest = null;
        try
        {
            manifest = ManifestReader.Parse(Encoding.UTF8.GetBytes(text), name);
        }
        catch (ManifestException ex)
        {
            problem = ex.Message;
        }

        _parsed[name] = (text, manifest);
        return manifest;
    }

    /// <summary>Forgets deployments <paramref name="contains"/> no longer knows (<paramref name="current"/> of them now), so the cache is as large as the fleet.</summary>
    public void Retain(int current, Func<string, bool> contains)
    {
        if (_parsed.Count <= current)
        {
            return;
        }

        foreach (var name in _parsed.Keys.Where(name => !contains(name)).ToList())
        {
            _parsed.Remove(name);
        }
    }
}
