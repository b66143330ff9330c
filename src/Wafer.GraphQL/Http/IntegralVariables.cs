using System.Numerics;
using GraphQL;

namespace Wafer.GraphQL.Http;

/// <summary>
/// Variables bind by the rule REST arguments follow: JSON numbers by value. The JSON reader hands a number written
/// with an exponent or a fraction (<c>1e2</c>, <c>100.0</c>) over as a floating-point value, which GraphQL's integer
/// scalars refuse; an integral one becomes the integer it is here, so it binds to <c>Int</c>, <c>Int64</c> and the
/// rest when in range (and to <c>Float</c>, which takes integers, as before), as in graphql-js.
/// </summary>
internal static class IntegralVariables
{
    public static Inputs? Normalize(Inputs? variables)
    {
        if (variables is null || !variables.Values.Any(NeedsChange))
        {
            return variables; // the usual case: nothing to copy
        }

        return new Inputs(variables.ToDictionary(p => p.Key, p => Value(p.Value), StringComparer.Ordinal));
    }

    private static bool NeedsChange(object? value) => value switch
    {
        double d => Integral(d),
        decimal m => decimal.Truncate(m) == m,
        IDictionary<string, object?> map => map.Values.Any(NeedsChange),
        IEnumerable<object?> list => list.Any(NeedsChange),
        _ => false,
    };

    private static object? Value(object? value) => value switch
    {
        double d when Integral(d) => Integer(new BigInteger(d)),
        decimal m when decimal.Truncate(m) == m => Integer(new BigInteger(m)),
        IDictionary<string, object?> map => map.ToDictionary(p => p.Key, p => Value(p.Value), StringComparer.Ordinal),
        IEnumerable<object?> list => list.Select(Value).ToList(),
        _ => value,
    };

    private static bool Integral(double d) => double.IsFinite(d) && Math.Truncate(d) == d;

    // The shapes GraphQL.NET's reader gives integers: int, then long, then BigInteger.
    private static object Integer(BigInteger n) =>
        n >= int.MinValue && n <= int.MaxValue ? (int)n : n >= long.MinValue && n <= long.MaxValue ? (long)n : n;
}
