using System.Text;

namespace Wafer.Tests.Support;

/// <summary>
/// Builds plugin modules of any size in memory, to test limits without storing megabytes of fixtures: a valid module
/// (the ABI's three exports, a bump allocator) with <c>functions</c> small defined functions, extra imports of
/// <c>wafer.log</c> and extra exports, and a <c>wafer.meta</c> declaring <c>declared</c> void functions named f0, f1, ….
/// Every call returns 0 with no result (null). Shared by the runtime and fleet tests.
/// </summary>
public static class GeneratedModule
{
    public static byte[] Build(int functions, int declared, int imports = 0, int exports = 0, int metadataPadding = 0)
    {
        var types = Vector(
            [0x60, .. Vector([[0x7F]]), .. Vector([[0x7F]])], // (i32) -> i32: wafer_alloc
            [0x60, .. Vector([[0x7F], [0x7F], [0x7F]]), .. Vector([[0x7F]])], // (i32, i32, i32) -> i32: wafer_invoke
            [0x60, .. Vector([]), .. Vector([[0x7F]])], // () -> i32: the filler functions
            [0x60, .. Vector([[0x7F], [0x7F], [0x7F]]), .. Vector([])]); // (i32, i32, i32) -> (): wafer.log
        var importList = Enumerable.Range(0, imports).Select(i => (byte[])[.. Name("wafer"), .. Name(i == 0 ? "log" : "log"), 0x00, .. Leb(3)]).ToArray();
        List<byte[]> defined = [Leb(0), Leb(1)];
        defined.AddRange(Enumerable.Repeat(Leb(2), functions));
        var firstDefined = imports; // imported functions come first in the index space
        List<byte[]> exportList =
        [
            [.. Name("memory"), 0x02, .. Leb(0)],
            [.. Name("wafer_alloc"), 0x00, .. Leb((uint)firstDefined)],
            [.. Name("wafer_invoke"), 0x00, .. Leb((uint)firstDefined + 1)],
        ];
        exportList.AddRange(Enumerable.Range(0, exports).Select(i => (byte[])[.. Name("extra" + i), 0x00, .. Leb((uint)(firstDefined + 2 + (i % Math.Max(1, functions))))]));
        List<byte[]> bodies = [Body([0x41, .. SignedLeb(1024)]), Body([0x41, 0x00])];
        bodies.AddRange(Enumerable.Range(0, functions).Select(i => Body([0x41, .. SignedLeb(i % 64)])));

        var meta = new StringBuilder("{\"abi\":1,\"sdk\":\"generated\",\"functions\":[");
        meta.AppendJoin(',', Enumerable.Range(0, declared).Select(i => $"{{\"name\":\"f{i}\",\"result\":\"void\"}}"));
        meta.Append(']');
        if (metadataPadding > 0)
        {
            meta.Append(",\"doc\":\"").Append('x', metadataPadding).Append('"');
        }

        meta.Append('}');

        var module = new List<byte> { 0x00, 0x61, 0x73, 0x6D, 0x01, 0x00, 0x00, 0x00 };
        module.AddRange(Section(1, types));
        if (imports > 0)
        {
            module.AddRange(Section(2, Vector(importList)));
        }

        module.AddRange(Section(3, Vector([.. defined])));
        module.AddRange(Section(5, Vector([[0x00, .. Leb(1)]])));
        module.AddRange(Section(7, Vector([.. exportList])));
        module.AddRange(Section(10, Vector([.. bodies])));
        module.AddRange(Section(0, [.. Name("wafer.meta"), .. Encoding.UTF8.GetBytes(meta.ToString())]));
        return [.. module];
    }

    private static byte[] Body(byte[] code) => [.. Leb((uint)(code.Length + 2)), 0x00, .. code, 0x0B];

    private static byte[] Section(byte id, byte[] content) => [id, .. Leb((uint)content.Length), .. content];

    private static byte[] Vector(params byte[][] items) => [.. Leb((uint)items.Length), .. items.SelectMany(i => i)];

    private static byte[] Name(string text) => [.. Leb((uint)Encoding.UTF8.GetByteCount(text)), .. Encoding.UTF8.GetBytes(text)];

    private static byte[] Leb(uint value)
    {
        var bytes = new List<byte>();
        do
        {
            var b = (byte)(value & 0x7F);
            value >>= 7;
            bytes.Add(value == 0 ? b : (byte)(b | 0x80));
        }
        while (value != 0);
        return [.. bytes];
    }

    private static byte[] SignedLeb(int value)
    {
        var bytes = new List<byte>();
        while (true)
        {
            var b = (byte)(value & 0x7F);
            value >>= 7;
            if ((value == 0 && (b & 0x40) == 0) || (value == -1 && (b & 0x40) != 0))
            {
                bytes.Add(b);
                return [.. bytes];
            }

            bytes.Add((byte)(b | 0x80));
        }
    }
}
