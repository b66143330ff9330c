namespace Wafer.GraphQL;

/// <summary>
/// Hands out unique names in one GraphQL namespace (types, or the fields of one root type). A taken name gets a
/// numbered suffix and a note saying so: a collision is never silent.
/// </summary>
internal sealed class NameRegistry(List<string> notes, IEnumerable<string>? reserved = null)
{
    private readonly HashSet<string> _taken = new(reserved ?? [], StringComparer.Ordinal);

    public bool IsTaken(string name) => _taken.Contains(name);

    /// <summary>Claims <paramref name="desired"/>, or the first free <c>desired_2</c>, <c>desired_3</c>, ….</summary>
    public string Claim(string desired, string what)
    {
        if (_taken.Add(desired))
        {
            return desired;
        }

        for (var n = 2; ; n++)
        {
            var candidate = $"{desired}_{n}";
            if (_taken.Add(candidate))
            {
                notes.Add($"{what} is exposed as '{candidate}': the name '{desired}' is already taken");
                return candidate;
            }
        }
    }
}
