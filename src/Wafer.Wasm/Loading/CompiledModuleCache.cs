using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Wafer.Wasm.Engines;
using Wafer.Wasm.Logging;
using Wasmtime;

namespace Wafer.Wasm.Loading;

/// <summary>
/// Compiled machine code on disk, one file per module and engine: <c>{sha256}-{engine fingerprint}.cwasm</c>.
/// A file is an 8-byte magic, the SHA-256 of the payload, then Wasmtime's serialized module. The checksum
/// matters: Wasmtime trusts serialized code, so a flipped bit must be caught here, not executed. Files are
/// written to a temporary name and renamed, so readers never see half a file.
/// </summary>
internal sealed class CompiledModuleCache(string directory, ILogger logger)
{
    private const int ChecksumLength = 32;
    private static ReadOnlySpan<byte> Magic => "WAFERCM1"u8;

    public string PathFor(string hash, WasmEngine engine) => Path.Combine(directory, $"{hash}-{engine.Fingerprint}.cwasm");

    /// <summary>The cached module, or null when there is no usable entry (a corrupt one is deleted).</summary>
    public Module? TryLoad(WasmEngine engine, string hash, string name)
    {
        var path = PathFor(hash, engine);
        byte[] file;
        try
        {
            if (!File.Exists(path))
            {
                return null;
            }

            file = File.ReadAllBytes(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            WasmLog.CacheReadFailed(logger, path, ex);
            return null;
        }

        var problem = Check(file);
        if (problem is null)
        {
            try
            {
                return Module.Deserialize(engine.Engine, name, file.AsSpan(Magic.Length + ChecksumLength));
            }
            catch (WasmtimeException ex)
            {
                problem = ex.Message;
            }
        }

        WasmLog.CacheEntryCorrupt(logger, path, problem);
        TryDelete(path);
        return null;
    }

    public void Store(WasmEngine engine, string hash, Module module)
    {
        var path = PathFor(hash, engine);
        var temp = $"{path}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp";
        try
        {
            var payload = module.Serialize();
            Directory.CreateDirectory(directory);
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                stream.Write(Magic);
                stream.Write(SHA256.HashData(payload));
                stream.Write(payload);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temp, path, overwrite: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or WasmtimeException)
        {
            WasmLog.CacheWriteFailed(logger, path, ex);
            TryDelete(temp);
        }
    }

    private static string? Check(ReadOnlySpan<byte> file)
    {
        if (file.Length < Magic.Length + ChecksumLength || !file.StartsWith(Magic))
        {
            return "not a Wafer compiled-module file";
        }

        Span<byte> actual = stackalloc byte[ChecksumLength];
        SHA256.HashData(file[(Magic.Length + ChecksumLength)..], actual);
        return actual.SequenceEqual(file.Slice(Magic.Length, ChecksumLength)) ? null : "checksum mismatch";
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Best effort: a file we cannot delete is overwritten by the next successful store.
        }
    }
}
