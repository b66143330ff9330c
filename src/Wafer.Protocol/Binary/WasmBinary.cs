using System.Text;
using Wafer.Protocol.Metadata;

namespace Wafer.Protocol.Binary;

/// <summary>
/// Minimal reader of the WebAssembly binary format (pure C#, no engine): the header and the section list,
/// enough to find custom sections without compiling anything: what every process that takes a module (runtime,
/// orchestrator, CLI) checks and reads before, or instead of, compiling it.
/// </summary>
public static class WasmBinary
{
    private static ReadOnlySpan<byte> Header => [0x00, 0x61, 0x73, 0x6D, 0x01, 0x00, 0x00, 0x00];

    /// <summary>True when the bytes start with the magic number and version 1 of a core module.</summary>
    public static bool HasModuleHeader(ReadOnlySpan<byte> wasm) => wasm.StartsWith(Header);

    /// <summary>Null when <paramref name="wasm"/> starts like a core module of version 1; otherwise what is wrong.</summary>
    public static string? HeaderProblem(ReadOnlySpan<byte> wasm) =>
        HasModuleHeader(wasm) ? null
        : wasm.Length >= 4 && wasm[..4].SequenceEqual(Header[..4])
            ? "not a core WebAssembly module of version 1 (components are not supported)"
            : "not a WebAssembly module (no \\0asm magic number)";

    /// <summary>
    /// The payload of the module's single custom section <paramref name="name"/>, or null when it has none; throws
    /// <see cref="MetadataException"/> when the binary is malformed or holds the section more than once.
    /// </summary>
    public static byte[]? FindCustomSection(ReadOnlySpan<byte> wasm, string name)
    {
        var error = TryFindCustomSection(wasm, name, out var payload, out var count);
        return error is not null ? throw new MetadataException(error)
            : count switch
            {
                0 => null,
                1 => payload.ToArray(),
                _ => throw new MetadataException($"module has {count} {name} custom sections; expected one"),
            };
    }

    /// <summary>
    /// Finds the custom section named <paramref name="name"/>. Returns an error text instead of throwing, for
    /// the caller to wrap in its own exception type.
    /// </summary>
    public static string? TryFindCustomSection(ReadOnlySpan<byte> wasm, string name, out ReadOnlySpan<byte> payload, out int count)
    {
        payload = default;
        count = 0;
        if (HeaderProblem(wasm) is { } problem)
        {
            return problem;
        }

        var position = Header.Length;
        while (position < wasm.Length)
        {
            var sectionStart = position;
            var id = wasm[position++];
            if (!TryReadU32(wasm, ref position, out var size) || size > (uint)(wasm.Length - position))
            {
                return $"malformed WebAssembly binary: section {id} at offset {sectionStart} overruns the module";
            }

            var content = wasm.Slice(position, (int)size);
            position += (int)size;
            if (id != 0)
            {
                continue;
            }

            var inner = 0;
            if (!TryReadU32(content, ref inner, out var nameLength) || nameLength > (uint)(content.Length - inner))
            {
                return $"malformed WebAssembly binary: custom section at offset {sectionStart} has a bad name";
            }

            var sectionName = content.Slice(inner, (int)nameLength);
            if (Utf8Equals(sectionName, name))
            {
                if (count++ == 0)
                {
                    payload = content[(inner + (int)nameLength)..];
                }
            }
        }

        return null;
    }

    /// <summary>The sections of a module with a valid header, in order; stops at the first one that overruns the module.</summary>
    public static SectionReader Sections(ReadOnlySpan<byte> wasm) => new(wasm);

    /// <summary>One section: its id and content; for a custom section (id 0) its name too.</summary>
    public readonly ref struct Section
    {
        private readonly byte _id;
        private readonly ReadOnlySpan<byte> _content;
        private readonly string? _customName;

        public Section(byte id, ReadOnlySpan<byte> content, string? customName)
        {
            _id = id;
            _content = content;
            _customName = customName;
        }

        public void Deconstruct(out byte id, out ReadOnlySpan<byte> content, out string? customName)
        {
            id = _id;
            content = _content;
            customName = _customName;
        }
    }

    /// <summary>Enumerates <see cref="Section"/>s.</summary>
    public ref struct SectionReader(ReadOnlySpan<byte> wasm)
    {
        private readonly ReadOnlySpan<byte> _wasm = wasm;
        private int _position = Header.Length;

        public Section Current { get; private set; }

        public readonly SectionReader GetEnumerator() => this;

        public bool MoveNext()
        {
            if (_position >= _wasm.Length)
            {
                return false;
            }

            var id = _wasm[_position++];
            if (!TryReadU32(_wasm, ref _position, out var size) || size > (uint)(_wasm.Length - _position))
            {
                _position = _wasm.Length;
                return false;
            }

            var content = _wasm.Slice(_position, (int)size);
            _position += (int)size;
            string? name = null;
            var inner = 0;
            if (id == 0 && TryReadU32(content, ref inner, out var nameLength) && nameLength <= (uint)(content.Length - inner))
            {
                name = Encoding.UTF8.GetString(content.Slice(inner, (int)nameLength));
            }

            Current = new Section(id, content, name);
            return true;
        }
    }

    private static bool Utf8Equals(ReadOnlySpan<byte> utf8, string text)
    {
        Span<byte> buffer = stackalloc byte[64];
        var max = Encoding.UTF8.GetMaxByteCount(text.Length);
        if (max > buffer.Length)
        {
            return utf8.SequenceEqual(Encoding.UTF8.GetBytes(text));
        }

        var written = Encoding.UTF8.GetBytes(text, buffer);
        return utf8.SequenceEqual(buffer[..written]);
    }

    /// <summary>Unsigned LEB128, at most 5 bytes.</summary>
    public static bool TryReadU32(ReadOnlySpan<byte> data, ref int position, out uint value)
    {
        value = 0;
        for (var shift = 0; shift < 35; shift += 7)
        {
            if (position >= data.Length)
            {
                return false;
            }

            var b = data[position++];
            value |= (uint)(b & 0x7F) << shift;
            if ((b & 0x80) == 0)
            {
                return shift < 28 || b <= 0x0F;
            }
        }

        return false;
    }
}
