namespace Wafer.Runtime.Agent;

/// <summary>
/// The runtime's id: a UUID generated once and kept in <c>STORAGE/runtime-id</c>, so a restarted runtime is the same
/// runtime to the orchestrator. The storage path is locked while the runtime runs: two runtimes sharing one would
/// share an id and take each other's broker session.
/// </summary>
internal sealed class RuntimeIdentity : IDisposable
{
    public const string FileName = "runtime-id";
    public const string LockFileName = "runtime.lock";

    private readonly FileStream _lock;

    private RuntimeIdentity(string id, FileStream lockFile)
    {
        Id = id;
        _lock = lockFile;
    }

    public string Id { get; }

    /// <summary>Reads or creates the id under <paramref name="storagePath"/>; throws <see cref="InvalidOperationException"/> naming the problem.</summary>
    public static RuntimeIdentity Acquire(string storagePath)
    {
        Directory.CreateDirectory(storagePath);
        FileStream lockFile;
        try
        {
            lockFile = new FileStream(Path.Combine(storagePath, LockFileName), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException)
        {
            throw new InvalidOperationException(
                $"another runtime is using the storage path {Path.GetFullPath(storagePath)}; give each runtime its own --storagePath");
        }

        var path = Path.Combine(storagePath, FileName);
        if (File.Exists(path))
        {
            var text = File.ReadAllText(path).Trim();
            if (Guid.TryParse(text, out var existing))
            {
                return new RuntimeIdentity(existing.ToString("D"), lockFile);
            }

            lockFile.Dispose();
            throw new InvalidOperationException($"{path} does not hold a runtime id (a UUID); delete it to get a new id");
        }

        var id = Guid.NewGuid().ToString("D");
        File.WriteAllText(path, id + "\n");
        return new RuntimeIdentity(id, lockFile);
    }

    public void Dispose() => _lock.Dispose();
}
