using System.Globalization;

namespace Wafer.Hosting.Telemetry;

/// <summary>HTTP status codes as metric label values, without a new string per request.</summary>
public static class StatusLabel
{
    private static readonly string[] Texts = [.. Enumerable.Range(0, 600).Select(code => code.ToString(CultureInfo.InvariantCulture))];

    public static string Of(int status) => (uint)status < (uint)Texts.Length ? Texts[status] : status.ToString(CultureInfo.InvariantCulture);
}
