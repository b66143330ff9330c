using Microsoft.Extensions.Options;
using Wafer.Protocol.Manifest;
using Wafer.Runtime.Hosting;

namespace Wafer.Runtime.Catalog;

/// <summary>
/// Decides which host folder a command plugin's <c>files</c> may name; the operator decides, never the manifest.
/// A plugin deployed through the API or placed by the orchestrator gets its own data folder,
/// <c>STORAGE/data/NAME</c>, created on demand: a relative <c>files.path</c> names a folder inside it. A plugin the
/// operator put in the plugins folder keeps the manifest-relative meaning, but only inside the plugins folder (never
/// the plugins folder itself, which holds every plugin and the <c>.env</c> secrets). Any other folder must be under
/// one of <see cref="RuntimeOptions.AllowFolders"/> (<c>--allowFolders</c>). Every check is made on the folder's real
/// path, with symbolic links followed, so a link cannot lead out of what was granted.
/// </summary>
public sealed class FolderGrants
{
    private const string Flag = "--allowFolders (or WAFER_ALLOW_FOLDERS)";

    private readonly string _dataRoot;
    private readonly string? _pluginsFolder;
    private readonly string[] _allowed;

    public FolderGrants(IOptions<RuntimeOptions> options)
        : this(Path.Combine(options.Value.StoragePath, "data"), options.Value.PluginsPath, options.Value.AllowFolders)
    {
    }

    /// <param name="dataRoot">The folder under which each plugin gets its data folder.</param>
    /// <param name="pluginsFolder">The local plugins folder, or null when there is none.</param>
    /// <param name="allowed">Host folders the operator allows beyond those.</param>
    public FolderGrants(string dataRoot, string? pluginsFolder, IEnumerable<string> allowed)
    {
        _dataRoot = Path.GetFullPath(dataRoot);
        _pluginsFolder = string.IsNullOrEmpty(pluginsFolder) ? null : Path.GetFullPath(pluginsFolder);
        _allowed = [.. allowed.Select(Path.GetFullPath)];
    }

    /// <summary>The data folder of plugin <paramref name="plugin"/>: <c>STORAGE/data/NAME</c>.</summary>
    public string DataFolderOf(string plugin) => Path.Combine(_dataRoot, plugin);

    /// <summary>
    /// The host folder of a plugin deployed through the API or the orchestrator: relative to its data folder (created
    /// when missing), or an absolute folder under an allowed root (it must exist). Throws <see cref="PluginLoadException"/>.
    /// </summary>
    public string ForDeployed(string plugin, GrantedFolder files)
    {
        var dataFolder = DataFolderOf(plugin);
        var folder = Path.GetFullPath(Path.Combine(dataFolder, files.Path));
        var real = FolderPaths.Real(folder);
        var inData = FolderPaths.IsWithin(real, FolderPaths.Real(dataFolder));
        if (!inData && !IsAllowed(real))
        {
            throw Outside(folder, real, $"the plugin's data folder '{dataFolder}'");
        }

        if (inData)
        {
            CreateDataFolder(real);
        }

        MustExist(folder);
        return real;
    }

    /// <summary>
    /// The host folder of a plugin from the plugins folder: relative to its manifest's folder; it must exist and be
    /// inside the plugins folder (below it, not the folder itself) or under an allowed root. Throws <see cref="PluginLoadException"/>.
    /// </summary>
    public string ForLocal(GrantedFolder files, string manifestFolder)
    {
        var folder = Path.GetFullPath(Path.Combine(manifestFolder, files.Path));
        var real = FolderPaths.Real(folder);
        if (!IsAllowed(real))
        {
            var plugins = _pluginsFolder is null ? null : FolderPaths.Real(_pluginsFolder);
            if (plugins is not null && FolderPaths.Same(real, plugins))
            {
                throw new FolderRefusedException(
                    $"files.path: folder '{folder}' is the plugins folder itself, which holds every plugin and the .env secrets; grant a folder inside it");
            }

            if (plugins is null || !FolderPaths.IsWithin(real, plugins))
            {
                throw Outside(folder, real, _pluginsFolder is null ? "" : $"the plugins folder '{_pluginsFolder}'");
            }
        }

        MustExist(folder);
        return real;
    }

    private bool IsAllowed(string realFolder) => _allowed.Any(root => FolderPaths.IsWithin(realFolder, FolderPaths.Real(root)));

    private FolderRefusedException Outside(string folder, string real, string granted)
    {
        var through = FolderPaths.Same(folder, real) ? "" : $" (a symbolic link leads to '{real}')";
        var allowed = _allowed.Length == 0 ? "none" : string.Join(", ", _allowed.Select(a => $"'{a}'"));
        var within = granted.Length == 0 ? "" : granted + " and ";
        return new FolderRefusedException(
            $"files.path: folder '{folder}'{through} is outside {within}the folders this runtime allows ({allowed}); " +
            $"the runtime's operator may allow it with {Flag}");
    }

    private static void MustExist(string folder)
    {
        if (!Directory.Exists(folder))
        {
            throw new FolderRefusedException($"files.path: folder '{folder}' does not exist (create it, or fix the path in the manifest)");
        }
    }

    private static void CreateDataFolder(string folder)
    {
        try
        {
            Directory.CreateDirectory(folder);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new FolderRefusedException($"files.path: cannot create the data folder '{folder}': {ex.Message}", ex);
        }
    }
}
