using System.Buffers;
using System.Buffers.Binary;
using System.Text;
using Wasmtime;

namespace Wafer.Wasm.Wasi.Channels;

/// <summary>
/// The WASI functions that touch descriptors, shadowed for runs with channels: a descriptor opened on a channel's
/// path is served by its <see cref="ICommandChannel"/> (a read waits for the next bytes, within the run's deadline
/// and cancellation), every other one goes to Wasmtime through <see cref="WasiPassthrough"/>. Wasmtime's own
/// files are read and written at an offset, which pipes do not allow, hence files served by the host.
/// </summary>
internal static class ChannelImports
{
    private const int Success = 0;
    private const int Access = 2;
    private const int BadDescriptor = 8;
    private const int Fault = 21;
    private const int Invalid = 28;
    private const int NotSeekable = 70;
    private const long FdRead = 1L << 1;
    private const long FdWrite = 1L << 6;
    private const byte CharacterDevice = 2;

    /// <summary>The most bytes one read of a channel hands the guest.</summary>
    private const int MaxRead = 64 * 1024;

    /// <summary>The most bytes one write to a channel may carry; a larger write is refused (<c>EINVAL</c>).</summary>
    public const int MaxWrite = 1024 * 1024;

    /// <summary>A linker like <paramref name="engine"/>'s with the descriptor functions shadowed.</summary>
    public static Linker CreateLinker(Linker engine)
    {
        var linker = engine.Clone();
        try
        {
            linker.AllowShadowing = true;
            const string wasi = WasiImports.ModuleName;
            linker.DefineFunction(wasi, "path_open", (CallerFunc<int, int, int, int, int, long, long, int, int, int>)PathOpen);
            linker.DefineFunction(wasi, "fd_read", (CallerFunc<int, int, int, int, int>)FdReadCall);
            linker.DefineFunction(wasi, "fd_write", (CallerFunc<int, int, int, int, int>)FdWriteCall);
            linker.DefineFunction(wasi, "fd_close", (CallerFunc<int, int>)FdClose);
            linker.DefineFunction(wasi, "fd_seek", (CallerFunc<int, long, int, int, int>)FdSeek);
            linker.DefineFunction(wasi, "fd_tell", (CallerFunc<int, int, int>)FdTell);
            linker.DefineFunction(wasi, "fd_fdstat_get", (CallerFunc<int, int, int>)FdFdstatGet);
            linker.DefineFunction(wasi, "fd_filestat_get", (CallerFunc<int, int, int>)FdFilestatGet);
            linker.AllowShadowing = false;
            return linker;
        }
        catch
        {
            linker.Dispose();
            throw;
        }
    }

    private static (CommandRunState Run, ChannelFiles Files, WasiPassthrough Wasi) State(Caller caller)
    {
        var run = (CommandRunState)caller.GetData()!;
        var files = run.Channels!;
        return (run, files, files.Passthrough!);
    }

    private static int PathOpen(Caller caller, int folder, int lookup, int pathPtr, int pathLength, int openFlags, long rights, long inheriting, int fdFlags, int descriptorPtr)
    {
        var (_, files, wasi) = State(caller);
        var memory = caller.GetMemory("memory")!;
        if (pathLength is < 0 or > 4096 || !Fits(memory, pathPtr, pathLength) || !Fits(memory, descriptorPtr, 4))
        {
            return Fault;
        }

        var channel = files.Find(folder, Encoding.UTF8.GetString(memory.GetSpan(Address(pathPtr), pathLength)));
        if (channel is null)
        {
            return wasi.PathOpen(folder, lookup, pathPtr, pathLength, openFlags, rights, inheriting, fdFlags, descriptorPtr);
        }

        bool read = (rights & FdRead) != 0, write = (rights & FdWrite) != 0;
        if ((read && !channel.Readable) || (write && !channel.Writable))
        {
            return Access;
        }

        BinaryPrimitives.WriteInt32LittleEndian(memory.GetSpan(Address(descriptorPtr), 4), files.Open(channel, read, write));
        return Success;
    }

    private static int FdReadCall(Caller caller, int descriptor, int iovecs, int count, int readPtr)
    {
        var (run, files, wasi) = State(caller);
        if (files.Get(descriptor) is not { } open)
        {
            return wasi.FdRead(descriptor, iovecs, count, readPtr);
        }

        if (!open.Read)
        {
            return BadDescriptor;
        }

        var memory = caller.GetMemory("memory")!;
        if (count < 0 || !Fits(memory, iovecs, count * 8L) || !Fits(memory, readPtr, 4))
        {
            return Fault;
        }

        // The first buffer with room takes what one read gives, as Wasmtime does for its files.
        var (target, room) = (0, 0);
        for (var i = 0; i < count && room == 0; i++)
        {
            var iovec = memory.GetSpan(Address(iovecs + (i * 8)), 8);
            (target, room) = (BinaryPrimitives.ReadInt32LittleEndian(iovec), BinaryPrimitives.ReadInt32LittleEndian(iovec[4..]));
        }

        if (room < 0 || !Fits(memory, target, room))
        {
            return Fault;
        }

        var read = 0;
        if (room > 0)
        {
            var buffer = ArrayPool<byte>.Shared.Rent(Math.Min(room, MaxRead));
            try
            {
                read = Wait(run, open.Channel, buffer.AsSpan(0, Math.Min(room, MaxRead)));
                memory = caller.GetMemory("memory")!;
                buffer.AsSpan(0, read).CopyTo(memory.GetSpan(Address(target), read));
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }

        BinaryPrimitives.WriteInt32LittleEndian(memory.GetSpan(Address(readPtr), 4), read);
        return Success;
    }

    /// <summary>Waits for the channel's next bytes; the run's deadline or cancellation ends the run (by throwing).</summary>
    private static int Wait(CommandRunState run, ICommandChannel channel, Span<byte> buffer)
    {
        while (true)
        {
            run.Check();
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(run.CancellationToken);
            stop.CancelAfter(run.Remaining is { Ticks: > 0 } left ? left : TimeSpan.Zero);
            try
            {
                return channel.Read(buffer, stop.Token);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                // Check again: it ends the run, unless the timer fired a little early.
            }
        }
    }

    private static int FdWriteCall(Caller caller, int descriptor, int iovecs, int count, int writtenPtr)
    {
        var (_, files, wasi) = State(caller);
        if (files.Get(descriptor) is not { } open)
        {
            return wasi.FdWrite(descriptor, iovecs, count, writtenPtr);
        }

        if (!open.Write)
        {
            return BadDescriptor;
        }

        var memory = caller.GetMemory("memory")!;
        if (count < 0 || !Fits(memory, iovecs, count * 8L) || !Fits(memory, writtenPtr, 4))
        {
            return Fault;
        }

        // One write of the guest is one call of the channel, its buffers gathered (stdio writes what it kept and
        // the new bytes as two buffers).
        var buffers = new (int Source, int Length)[count];
        var written = 0L;
        for (var i = 0; i < count; i++)
        {
            var iovec = memory.GetSpan(Address(iovecs + (i * 8)), 8);
            buffers[i] = (BinaryPrimitives.ReadInt32LittleEndian(iovec), BinaryPrimitives.ReadInt32LittleEndian(iovec[4..]));
            if (buffers[i].Length < 0 || !Fits(memory, buffers[i].Source, buffers[i].Length) || (written += buffers[i].Length) > MaxWrite)
            {
                return buffers[i].Length < 0 || written > MaxWrite ? Invalid : Fault;
            }
        }

        var gathered = ArrayPool<byte>.Shared.Rent((int)written);
        try
        {
            var at = 0;
            foreach (var (source, length) in buffers)
            {
                memory.GetSpan(Address(source), length).CopyTo(gathered.AsSpan(at));
                at += length;
            }

            open.Channel.Write(gathered.AsSpan(0, at));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(gathered);
        }

        BinaryPrimitives.WriteInt32LittleEndian(memory.GetSpan(Address(writtenPtr), 4), (int)written);
        return Success;
    }

    private static int FdClose(Caller caller, int descriptor)
    {
        var (_, files, wasi) = State(caller);
        return files.Close(descriptor) ? Success : wasi.FdClose(descriptor);
    }

    private static int FdSeek(Caller caller, int descriptor, long offset, int whence, int positionPtr)
    {
        var (_, files, wasi) = State(caller);
        return files.Get(descriptor) is null ? wasi.FdSeek(descriptor, offset, whence, positionPtr) : NotSeekable;
    }

    private static int FdTell(Caller caller, int descriptor, int positionPtr)
    {
        var (_, files, wasi) = State(caller);
        return files.Get(descriptor) is null ? wasi.FdTell(descriptor, positionPtr) : NotSeekable;
    }

    /// <summary>
    /// A channel is a character device without seek rights: what wasi-libc's <c>isatty</c> looks for, so stdio
    /// buffers a channel opened for writing by line, as it does a terminal.
    /// </summary>
    private static int FdFdstatGet(Caller caller, int descriptor, int statPtr)
    {
        var (_, files, wasi) = State(caller);
        if (files.Get(descriptor) is not { } open)
        {
            return wasi.FdFdstatGet(descriptor, statPtr);
        }

        var memory = caller.GetMemory("memory")!;
        if (!Fits(memory, statPtr, 24))
        {
            return Fault;
        }

        var stat = memory.GetSpan(Address(statPtr), 24);
        stat.Clear();
        stat[0] = CharacterDevice;
        BinaryPrimitives.WriteInt64LittleEndian(stat[8..], (open.Read ? FdRead : 0) | (open.Write ? FdWrite : 0));
        return Success;
    }

    private static int FdFilestatGet(Caller caller, int descriptor, int statPtr)
    {
        var (_, files, wasi) = State(caller);
        if (files.Get(descriptor) is null)
        {
            return wasi.FdFilestatGet(descriptor, statPtr);
        }

        var memory = caller.GetMemory("memory")!;
        if (!Fits(memory, statPtr, 64))
        {
            return Fault;
        }

        var stat = memory.GetSpan(Address(statPtr), 64);
        stat.Clear();
        stat[16] = CharacterDevice;
        BinaryPrimitives.WriteInt64LittleEndian(stat[24..], 1); // one link
        return Success;
    }

    private static bool Fits(Memory memory, int ptr, long length) => Address(ptr) + length <= memory.GetLength();

    /// <summary>A guest pointer is an unsigned 32-bit offset.</summary>
    private static long Address(int ptr) => (uint)ptr;
}
