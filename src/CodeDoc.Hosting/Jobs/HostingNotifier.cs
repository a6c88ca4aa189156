using Microsoft.Extensions.Logging;

namespace CodeDoc.Hosting.Jobs;

/// <summary>Sends a notification to every registered sink; a failing sink is logged and the others still get it.</summary>
internal sealed class HostingNotifier(IEnumerable<IHostingNotificationSink> sinks, TimeProvider time, ILogger<HostingNotifier> logger)
{
    public async Task NotifyAsync(HostingNotificationKind kind, string jobId, string? runId, string message, CancellationToken cancellationToken = default)
    {
        var notification = new HostingNotification(kind, jobId, runId, message, time.GetUtcNow());
        foreach (var sink in sinks)
        {
            try
            {
                await sink.NotifyAsync(notification, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested)
            {
                JobsLog.SinkFailed(logger, sink.GetType().Name, kind, jobId, e.GetType().Name, e.Message);
            }
        }
    }
}
