namespace Wafer.Runtime.Invocation;

/// <summary>
/// JSON numbers by value: <c>1e2</c>, <c>100.0</c> and <c>100</c> are the same integer, and <c>-0</c> is 0.
/// Reads the number's text exactly (no rounding through double or decimal), so <c>1.0000000000000000000000000001</c>
/// is not an integer and <c>1e400</c> is not in any integer type's range.
/// </summary>
internal static class JsonNumbers
{
    /// <summary>
    /// When <paramref name="text"/> (a valid JSON number) is an integer whose magnitude fits 64 bits, its sign and
    /// magnitude; false for a fraction or a larger magnitude.
    /// </summary>
    public static bool TryIntegral(ReadOnlySpan<byte> text, out bool negative, out ulong magnitude)
    {
        magnitude = 0;
        var i = 0;
        negative = text.Length > 0 && text[0] == (byte)'-';
        if (negative)
        {
            i++;
        }

        // The significant digits (integer and fraction parts together) and the power of ten they are scaled by.
        var digitsStart = i;
        while (i < text.Length && IsDigit(text[i]))
        {
            i++;
        }

        var integerDigits = text[digitsStart..i];
        var fractionDigits = ReadOnlySpan<byte>.Empty;
        if (i < text.Length && text[i] == (byte)'.')
        {
            var start = ++i;
            while (i < text.Length && IsDigit(text[i]))
            {
                i++;
            }

            fractionDigits = text[start..i];
        }

        long exponent = 0;
        if (i < text.Length && (text[i] | 0x20) == (byte)'e')
        {
            i++;
            var exponentNegative = i < text.Length && text[i] == (byte)'-';
            if (i < text.Length && text[i] is (byte)'-' or (byte)'+')
            {
                i++;
            }

            for (; i < text.Length && IsDigit(text[i]); i++)
            {
                exponent = Math.Min(exponent * 10 + (text[i] - '0'), 1_000_000); // beyond any number of digits a body holds
            }

            exponent = exponentNegative ? -exponent : exponent;
        }

        if (i != text.Length)
        {
            return false;
        }

        // Drop leading zeros, then trailing zeros into the exponent.
        var total = integerDigits.Length + fractionDigits.Length;
        var first = 0;
        while (first < total && Digit(integerDigits, fractionDigits, first) == 0)
        {
            first++;
        }

        if (first == total)
        {
            negative = false; // zero, whatever its sign and spelling
            return true;
        }

        var last = total - 1;
        while (Digit(integerDigits, fractionDigits, last) == 0)
        {
            last--;
        }

        // The value is digits[first..last] × 10^scale.
        var scale = exponent - fractionDigits.Length + (total - 1 - last);
        if (scale < 0 || last - first + 1 + scale > 20)
        {
            return false; // a fraction, or more than 20 digits: past ulong
        }

        for (var d = first; d <= last; d++)
        {
            if (!Accumulate(ref magnitude, Digit(integerDigits, fractionDigits, d)))
            {
                return false;
            }
        }

        for (var s = 0; s < scale; s++)
        {
            if (!Accumulate(ref magnitude, 0))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Whether <paramref name="text"/> is an integer from <paramref name="min"/> to <paramref name="max"/>, and its value.</summary>
    public static bool TrySigned(ReadOnlySpan<byte> text, long min, long max, out long value)
    {
        value = 0;
        if (!TryIntegral(text, out var negative, out var magnitude))
        {
            return false;
        }

        if (negative)
        {
            if (magnitude > (ulong)-(min + 1) + 1)
            {
                return false;
            }

            value = magnitude == (ulong)long.MaxValue + 1 ? long.MinValue : -(long)magnitude;
            return true;
        }

        if (magnitude > (ulong)max)
        {
            return false;
        }

        value = (long)magnitude;
        return true;
    }

    /// <summary>Whether <paramref name="text"/> is an integer from 0 to <paramref name="max"/>, and its value.</summary>
    public static bool TryUnsigned(ReadOnlySpan<byte> text, ulong max, out ulong value) =>
        TryIntegral(text, out var negative, out value) && !negative && value <= max;

    private static bool Accumulate(ref ulong magnitude, int digit)
    {
        if (magnitude > (ulong.MaxValue - (ulong)digit) / 10)
        {
            return false;
        }

        magnitude = magnitude * 10 + (ulong)digit;
        return true;
    }

    private static int Digit(ReadOnlySpan<byte> integer, ReadOnlySpan<byte> fraction, int index) =>
        (index < integer.Length ? integer[index] : fraction[index - integer.Length]) - '0';

    private static bool IsDigit(byte b) => b is >= (byte)'0' and <= (byte)'9';
}
