using System.Text.Json;
using Microsoft.Extensions.Options;
using Wafer.Runtime.Hosting;

namespace Wafer.Runtime.Modus.Agents;

/// <summary>Agents on disk, one JSON file each in <c>STORAGE/modus-agents</c>, written whole and renamed into place.</summary>
internal sealed class AgentStore(IOptions<RuntimeOptions> options)
{
    private string Folder => Path.Combine(options.Value.StoragePath, "modus-agents");

    public void Save(AgentRecord record)
    {
        Directory.CreateDirectory(Folder);
        var path = PathOf(record.Id);
        var temporary = path + ".tmp";
        File.WriteAllBytes(temporary, JsonSerializer.SerializeToUtf8Bytes(record));
        File.Move(temporary, path, overwrite: true);
    }

    public AgentRecord? Load(string id)
    {
        if (!IsId(id) || !File.Exists(PathOf(id)))
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize<AgentRecord>(File.ReadAllBytes(PathOf(id)));
        }
        catch (JsonException)
        {
            return null;
        }
    }

    public IEnumerable<AgentRecord> All() =>
        Directory.Exists(Folder)
            ? Directory.EnumerateFiles(Folder, "*.json").Select(f => Load(Path.GetFileNameWithoutExtension(f))).OfType<AgentRecord>()
            : [];

    /// <summary>Agent ids are 20 characters of a-v and 0-9 (base32hex, as Modus's xids): nothing else reaches the file system.</summary>
    public static bool IsId(string id) => id.Length == 20 && id.All(c => char.IsAsciiDigit(c) || c is >= 'a' and <= 'v');

    public static string NewId()
    {
        const string alphabet = "0123456789abcdefghijklmnopqrstuv";
        Span<byte> bytes = stackalloc byte[20];
        System.Security.Cryptography.RandomNumberGenerator.Fill(bytes);
        return string.Create(20, bytes.ToArray(), static (chars, b) =>
        {
            for (var i = 0; i < chars.Length; i++)
            {
                chars[i] = alphabet[b[i] & 31];
            }
        });
    }

    private string PathOf(string id) => Path.Combine(Folder, id + ".json");
}
