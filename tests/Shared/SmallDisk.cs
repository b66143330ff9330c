using System.Diagnostics;

namespace Wafer.Tests.Shared;

/// <summary>
/// A small tmpfs mounted over a folder, so a test can fill a disk for real (writes fail with ENOSPC as on a full
/// disk). Mounting needs Linux and root, which CI has; elsewhere the test is skipped saying so.
/// </summary>
public sealed class SmallDisk : IDisposable
{
    private SmallDisk(string folder) => Folder = folder;

    public string Folder { get; }

    public static SmallDisk MountOrSkip(string folder, int sizeKiB)
    {
        Directory.CreateDirectory(folder);
        if (!OperatingSystem.IsLinux() || Environment.UserName != "root")
        {
            Assert.Skip("a full disk is simulated with a small tmpfs, and mounting one needs Linux and root");
        }

        var (code, output) = Run("mount", "-t", "tmpfs", "-o", $"size={sizeKiB}k,mode=0755", "tmpfs", folder);
        if (code != 0)
        {
            Assert.Skip($"cannot mount a tmpfs over {folder} ({output.Trim()}); this test needs a real full disk");
        }

        return new SmallDisk(folder);
    }

    /// <summary>Writes a file that leaves only about <paramref name="freeBytes"/> free.</summary>
    public void Fill(long freeBytes)
    {
        var available = new DriveInfo(Folder).AvailableFreeSpace;
        var chunk = new byte[64 * 1024];
        Array.Fill(chunk, (byte)1);
        using var filler = new FileStream(Path.Combine(Folder, "filler.bin"), FileMode.CreateNew);
        for (var left = available - freeBytes; left > 0; left -= chunk.Length)
        {
            filler.Write(chunk, 0, (int)Math.Min(chunk.Length, left));
        }
    }

    public void Dispose() => Run("umount", "-l", Folder);

    private static (int Code, string Output) Run(string tool, params string[] arguments)
    {
        var info = new ProcessStartInfo(tool) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEnd() + process.StandardError.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, output);
    }
}
