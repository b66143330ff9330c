namespace Wafer.Protocol.Metadata;

/// <summary>Names of functions, parameters, types and fields: <c>[A-Za-z_][A-Za-z0-9_]*</c>.</summary>
public static class Identifier
{
    public static bool IsValid(string? name)
    {
        if (string.IsNullOrEmpty(name) || char.IsAsciiDigit(name[0]))
        {
            return false;
        }

        foreach (var c in name)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c != '_')
            {
                return false;
            }
        }

        return true;
    }
}
