namespace Wafer.GraphQL;

/// <summary>
/// Identifies one GraphQL object type made from a class: <see cref="Owner"/> is the plugin, or null when plugins
/// with identical definitions share the type. <see cref="Name"/> is the name the type should get.
/// </summary>
internal readonly record struct ClassKey(string? Owner, string Class, string Name);
