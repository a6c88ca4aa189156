using Microsoft.Extensions.Logging;

namespace CodeDoc.Hosting.Jobs;

/// <summary>Log messages of jobs, the worker, notifications and triggers: ids, kinds and error messages; never content or secrets.</summary>
internal static partial class JobsLog
{
    [LoggerMessage(EventId = 4001, Level = LogLevel.Warning, Message = "Run {RunId} of job {JobId} failed ({ExceptionType}): {Error}")]
    public static partial void RunFailed(ILogger logger, string runId, string jobId, string exceptionType, string error);

    [LoggerMessage(EventId = 4002, Level = LogLevel.Error, Message = "The worker could not record run {RunId} ({ExceptionType}: {Error}); the run is recovered at the next start")]
    public static partial void WorkerStepFailed(ILogger logger, string runId, string exceptionType, string error);

    [LoggerMessage(EventId = 4003, Level = LogLevel.Information, Message = "Run {RunId} was interrupted by a stop of the host; recovery run {RecoveryId} was queued")]
    public static partial void RunRecovered(ILogger logger, string runId, string recoveryId);

    [LoggerMessage(EventId = 4004, Level = LogLevel.Information, Message = "Shutting down: waiting up to {GracePeriod} for {Count} run(s) under way")]
    public static partial void Draining(ILogger logger, int count, TimeSpan gracePeriod);

    [LoggerMessage(EventId = 4005, Level = LogLevel.Warning, Message = "The manifest of {DocumentSetId} could not be cached after run {RunId} ({ExceptionType}); the target keeps the master copy")]
    public static partial void ManifestCacheFailed(ILogger logger, string runId, string documentSetId, string exceptionType);

    [LoggerMessage(EventId = 4006, Level = LogLevel.Warning, Message = "The notification sink {Sink} failed to deliver a {Kind} notification of job {JobId} ({ExceptionType}: {Error})")]
    public static partial void SinkFailed(ILogger logger, string sink, HostingNotificationKind kind, string jobId, string exceptionType, string error);

    [LoggerMessage(EventId = 4007, Level = LogLevel.Warning, Message = "A run monitor subscriber to {EventType} events threw {ExceptionType}; the event still reached the others")]
    public static partial void SubscriberFailed(ILogger logger, string eventType, string exceptionType);

    [LoggerMessage(EventId = 4008, Level = LogLevel.Error, Message = "The schedule of job {JobId} is not valid, so it starts no run: {Problem}")]
    public static partial void InvalidSchedule(ILogger logger, string jobId, string problem);

    [LoggerMessage(EventId = 4009, Level = LogLevel.Warning, Message = "The {Trigger} trigger failed for job {JobId} ({ExceptionType}: {Error}); it tries again at its next turn")]
    public static partial void TriggerFailed(ILogger logger, string trigger, string jobId, string exceptionType, string error);

    [LoggerMessage(EventId = 4010, Level = LogLevel.Information, Message = "Queued a {Trigger} run {RunId} of job {JobId} on {RepositoryId}@{Branch}")]
    public static partial void TriggerQueued(ILogger logger, string trigger, string runId, string jobId, string repositoryId, string branch);

    [LoggerMessage(EventId = 4011, Level = LogLevel.Warning, Message = "Pruning webhook delivery ids failed ({ExceptionType}: {Error}); it is tried again later")]
    public static partial void PruneFailed(ILogger logger, string exceptionType, string error);

    [LoggerMessage(EventId = 4012, Level = LogLevel.Error, Message = "The poll interval of job {JobId} is not valid, so it is not polled: {Problem}")]
    public static partial void InvalidPollInterval(ILogger logger, string jobId, string problem);

    [LoggerMessage(EventId = 4013, Level = LogLevel.Error, Message = "Recovering the runs a stopped host left failed ({ExceptionType}: {Error}); they are recovered at the next start")]
    public static partial void RecoveryFailed(ILogger logger, string exceptionType, string error);
}
