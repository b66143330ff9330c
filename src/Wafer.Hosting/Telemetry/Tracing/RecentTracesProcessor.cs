using System.Diagnostics;
using OpenTelemetry;

namespace Wafer.Hosting.Telemetry.Tracing;

/// <summary>Keeps each recorded span that ends in <see cref="RecentTraces"/>, named with the service that recorded it.</summary>
internal sealed class RecentTracesProcessor(RecentTraces store, string service) : BaseProcessor<Activity>
{
    public override void OnEnd(Activity data)
    {
        if (data.Recorded)
        {
            store.Add(SpanView.Of(data, service));
        }
    }
}
