namespace Wafer.Wasm.Wasi.Channels;

/// <summary>
/// The channels of one command run: the folders that hold them (each channel's folder is preopened, from an empty
/// private host folder, so that wasi-libc resolves the path and asks the host to open it), the channel each name
/// stands for, and the descriptors the guest holds open on them. Used only on the run's thread.
/// </summary>
internal sealed class ChannelFiles : IDisposable
{
    /// <summary>Channel descriptors are numbered from here, far above Wasmtime's, which start at 0 and stay low.</summary>
    public const int FirstDescriptor = 0x4000_0000;

    private readonly Dictionary<int, string> _folderByDescriptor = [];
    private readonly Dictionary<(string Folder, string Name), ICommandChannel> _channels = [];
    private readonly Dictionary<int, OpenChannel> _open = [];
    private readonly string _root;
    private int _next = FirstDescriptor;

    private ChannelFiles(string root, IReadOnlyList<(string HostPath, string GuestPath)> folders)
    {
        _root = root;
        Folders = folders;
    }

    /// <summary>The host folders to preopen, in order, each at its guest path.</summary>
    public IReadOnlyList<(string HostPath, string GuestPath)> Folders { get; }

    /// <summary>Wasmtime's functions for every descriptor that is not a channel; set once the guest is instantiated.</summary>
    public WasiPassthrough? Passthrough { get; set; }

    /// <summary>
    /// Lays out <paramref name="channels"/>: one empty private folder per guest folder that holds a channel, to be
    /// preopened in order from descriptor <paramref name="firstPreopen"/> (Wasmtime numbers preopens in the order
    /// they are configured, after stdin, stdout, stderr and any folder configured before these).
    /// </summary>
    public static ChannelFiles Create(IReadOnlyList<ICommandChannel> channels, int firstPreopen)
    {
        var root = Path.Combine(Path.GetTempPath(), "wafer-channels", Guid.NewGuid().ToString("N"));
        var folders = new List<(string HostPath, string GuestPath)>();
        var files = new ChannelFiles(root, folders);
        try
        {
            foreach (var channel in channels)
            {
                var (folder, name) = Split(channel.Path);
                if (!files._channels.TryAdd((folder, name), channel))
                {
                    throw new ArgumentException($"two channels at {channel.Path}", nameof(channels));
                }

                if (folders.Exists(f => f.GuestPath == folder))
                {
                    continue;
                }

                var host = Path.Combine(root, folders.Count.ToString(System.Globalization.CultureInfo.InvariantCulture));
                Directory.CreateDirectory(host);
                files._folderByDescriptor[firstPreopen + folders.Count] = folder;
                folders.Add((host, folder));
            }

            return files;
        }
        catch
        {
            files.Dispose();
            throw;
        }
    }

    /// <summary>The channel <paramref name="name"/> (relative, as wasi-libc passes it) in the preopened folder <paramref name="folder"/>, if any.</summary>
    public ICommandChannel? Find(int folder, string name) =>
        _folderByDescriptor.TryGetValue(folder, out var guestFolder) && _channels.TryGetValue((guestFolder, name.TrimStart('/')), out var channel)
            ? channel
            : null;

    public int Open(ICommandChannel channel, bool read, bool write)
    {
        var descriptor = _next++;
        _open[descriptor] = new OpenChannel(channel, read, write);
        return descriptor;
    }

    public OpenChannel? Get(int descriptor) => _open.GetValueOrDefault(descriptor);

    public bool Close(int descriptor) => _open.Remove(descriptor);

    public void Dispose()
    {
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Best effort: empty folders under the OS's temporary folder.
        }
    }

    private static (string Folder, string Name) Split(string path)
    {
        var absolute = "/" + path.Trim('/');
        var slash = absolute.LastIndexOf('/');
        return (slash == 0 ? "/" : absolute[..slash], absolute[(slash + 1)..]);
    }
}

/// <summary>A channel the guest holds open, and how.</summary>
internal sealed record OpenChannel(ICommandChannel Channel, bool Read, bool Write);
