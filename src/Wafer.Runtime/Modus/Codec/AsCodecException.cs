namespace Wafer.Runtime.Modus.Codec;

/// <summary>A value cannot cross the boundary as its metadata type says (a null for a non-nullable type, a NaN, a bad pointer).</summary>
internal sealed class AsCodecException(string message) : Exception(message);
