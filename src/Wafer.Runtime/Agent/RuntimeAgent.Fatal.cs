using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Wafer.Protocol.V1;

namespace Wafer.Runtime.Agent;

/// <summary>
/// Reporting a fatal error on the way down instead of vanishing: an unhandled exception in the process, or a
/// background service that failed (which stops the host). The last will covers what cannot be reported.
/// </summary>
public sealed partial class RuntimeAgent
{
    /// <summary>Publishes <c>fatal</c> with <paramref name="reason"/> (once) before the process goes down.</summary>
    public async Task ReportFatalAsync(string reason)
    {
        if (!_options.Enabled || Interlocked.Exchange(ref _fatalSent, 1) == 1)
        {
            return;
        }

        FatalError(_logger, reason);
        if (!await PublishAsync(_topics.Events(_identity!.Id), MessageTypes.Fatal, new FatalBody(_identity.Id, reason), retain: false))
        {
            FatalNotReported(_logger);
        }
    }

    /// <summary>Reports the failure of any other background service (which stops the host) as <c>fatal</c>.</summary>
    private void WatchHostedServices()
    {
        foreach (var service in _services.GetServices<IHostedService>())
        {
            if (service is BackgroundService background && !ReferenceEquals(background, this) && background.ExecuteTask is { } task)
            {
                _ = task.ContinueWith(
                    t => ReportFatalAsync($"{background.GetType().Name} failed: {t.Exception!.GetBaseException().Message}"),
                    CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default).Unwrap();
            }
        }
    }

    private void OnUnhandledException(object sender, UnhandledExceptionEventArgs e)
    {
        var reason = e.ExceptionObject is Exception ex ? $"unhandled {ex.GetType().Name}: {ex.Message}" : "unhandled exception";
        Task.Run(() => ReportFatalAsync(reason)).Wait(PublishTimeout);
    }
}
