namespace Wafer.GraphQL;

/// <summary>Where the GraphQL endpoint gets the schema to run a request against: the catalog's, or the gateway's.</summary>
public interface ISchemaSource
{
    /// <summary>The schema for the current state, built if it changed since the last call.</summary>
    ServedSchema Current { get; }
}
