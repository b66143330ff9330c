namespace Wafer.Runtime.Modus.Host;

/// <summary>A group of Modus host functions (a host module such as <c>modus_http_client</c>) offered to Modus apps.</summary>
public interface IModusHostModule
{
    /// <summary>The functions by <c>module.name</c>.</summary>
    IReadOnlyDictionary<string, ModusHostFunction> Functions { get; }
}
