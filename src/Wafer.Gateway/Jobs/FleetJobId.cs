namespace Wafer.Gateway.Jobs;

/// <summary>
/// A job's id as the fleet's gateways hand it out: <c>RUNTIME.JOB</c>, the id of the runtime that runs it, a dot, and
/// the id that runtime gave it. The id itself says where to ask, so any gateway (several behind one load balancer, one
/// restarted) answers <c>GET /jobs/{id}</c> without a shared table, and nothing has to be kept or evicted per job.
/// </summary>
internal static class FleetJobId
{
    public static string Of(string runtimeId, string localId) => runtimeId + "." + localId;

    /// <summary>Splits <paramref name="id"/> at its last dot; false when either part is empty or it has none.</summary>
    public static bool TryParse(string id, out string runtimeId, out string localId)
    {
        var dot = id.LastIndexOf('.');
        if (dot <= 0 || dot == id.Length - 1)
        {
            runtimeId = localId = "";
            return false;
        }

        runtimeId = id[..dot];
        localId = id[(dot + 1)..];
        return true;
    }
}
