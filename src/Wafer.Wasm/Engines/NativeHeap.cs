using System.Runtime.InteropServices;

namespace Wafer.Wasm.Engines;

/// <summary>
/// The C heap the engine allocates from. Compiling a module allocates from glibc's malloc on several threads (each with
/// an arena of its own); freed, that memory mostly stays with the process until <c>malloc_trim</c> hands it back.
/// </summary>
internal static partial class NativeHeap
{
    private static bool _unavailable = !OperatingSystem.IsLinux();

    /// <summary>Returns the heap's free memory to the system where the C library can (glibc); a no-op elsewhere.</summary>
    public static void Trim()
    {
        if (_unavailable)
        {
            return;
        }

        try
        {
            _ = MallocTrim(0);
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            _unavailable = true; // musl and others: nothing to trim this way
        }
    }

    [LibraryImport("libc", EntryPoint = "malloc_trim")]
    private static partial int MallocTrim(nuint pad);
}
