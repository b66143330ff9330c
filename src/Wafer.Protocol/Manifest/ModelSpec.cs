namespace Wafer.Protocol.Manifest;

/// <summary>A named AI model: an OpenAI-compatible endpoint (an <c>http</c> connection) and the provider's model id.</summary>
public sealed record ModelSpec
{
    public const string Chat = "chat";
    public const string Embeddings = "embeddings";

    public required string Name { get; init; }

    /// <summary>The <c>http</c> connection whose base URL serves <c>/chat/completions</c> or <c>/embeddings</c>.</summary>
    public required string Connection { get; init; }

    /// <summary>The provider's model id, sent as <c>"model"</c>.</summary>
    public required string Model { get; init; }

    /// <summary><c>chat</c> or <c>embeddings</c>.</summary>
    public string Kind { get; init; } = Chat;
}
