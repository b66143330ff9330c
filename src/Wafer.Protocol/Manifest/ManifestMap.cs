using System.Collections;

namespace Wafer.Protocol.Manifest;

/// <summary>
/// An immutable string-keyed map with value equality, so manifests compare equal when their contents do (the
/// reloader uses that to skip touched-but-unchanged plugins). Keys keep the order they were declared in.
/// </summary>
public sealed class ManifestMap<T> : IReadOnlyDictionary<string, T>, IEquatable<ManifestMap<T>>
{
    private readonly Dictionary<string, T> _items;
    private readonly string[] _order;

    public ManifestMap(IEnumerable<KeyValuePair<string, T>> items)
    {
        _items = new Dictionary<string, T>(StringComparer.Ordinal);
        var order = new List<string>();
        foreach (var (key, value) in items)
        {
            if (_items.TryAdd(key, value))
            {
                order.Add(key);
            }
        }

        _order = [.. order];
    }

    public static ManifestMap<T> Empty { get; } = new([]);

    public int Count => _order.Length;

    public T this[string key] => _items[key];

    public IEnumerable<string> Keys => _order;

    public IEnumerable<T> Values => _order.Select(k => _items[k]);

    public bool ContainsKey(string key) => _items.ContainsKey(key);

    public bool TryGetValue(string key, out T value) => _items.TryGetValue(key, out value!);

    public IEnumerator<KeyValuePair<string, T>> GetEnumerator() =>
        _order.Select(k => new KeyValuePair<string, T>(k, _items[k])).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public bool Equals(ManifestMap<T>? other)
    {
        if (ReferenceEquals(this, other))
        {
            return true;
        }

        if (other is null || other.Count != Count)
        {
            return false;
        }

        var comparer = EqualityComparer<T>.Default;
        foreach (var (key, value) in _items)
        {
            if (!other._items.TryGetValue(key, out var theirs) || !comparer.Equals(value, theirs))
            {
                return false;
            }
        }

        return true;
    }

    public override bool Equals(object? obj) => obj is ManifestMap<T> other && Equals(other);

    public override int GetHashCode()
    {
        var hash = Count;
        foreach (var (key, value) in _items)
        {
            hash ^= HashCode.Combine(StringComparer.Ordinal.GetHashCode(key), value);
        }

        return hash;
    }
}
