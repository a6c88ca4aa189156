using Microsoft.Extensions.Logging;

namespace CodeDoc.Hosting.AspNetCore;

/// <summary>The endpoints' log messages: host kinds, ids, statuses and reasons; never a body, a key or a secret.</summary>
internal static partial class EndpointsLog
{
    [LoggerMessage(EventId = 7001, Level = LogLevel.Warning, Message = "Webhook for '{HostKind}' rejected with {StatusCode}: {Reason}")]
    public static partial void WebhookRejected(ILogger logger, string hostKind, int statusCode, string reason);

    [LoggerMessage(EventId = 7002, Level = LogLevel.Information, Message = "Webhook ping from '{HostKind}' answered")]
    public static partial void WebhookPing(ILogger logger, string hostKind);

    [LoggerMessage(EventId = 7003, Level = LogLevel.Debug, Message = "Webhook from '{HostKind}' (delivery {DeliveryId}) ignored: {Reason}")]
    public static partial void WebhookIgnored(ILogger logger, string hostKind, string? deliveryId, string reason);

    [LoggerMessage(EventId = 7004, Level = LogLevel.Debug, Message = "Webhook from '{HostKind}' (delivery {DeliveryId}) is a duplicate; nothing queued")]
    public static partial void WebhookDuplicate(ILogger logger, string hostKind, string? deliveryId);

    [LoggerMessage(EventId = 7005, Level = LogLevel.Debug, Message = "Webhook from '{HostKind}' (delivery {DeliveryId}) for repository '{RepositoryId}' ref '{Ref}': {Disposition}")]
    public static partial void WebhookPushHandled(ILogger logger, string hostKind, string? deliveryId, string repositoryId, string @ref, PushDisposition disposition);

    [LoggerMessage(EventId = 7010, Level = LogLevel.Warning, Message = "The CodeDoc API at '{Pattern}' has neither an API key nor an authentication hook, so it refuses every request with 401. Set CodeDoc:Hosting:Endpoints:ApiKey (or CodeDocEndpointOptions.ApiKey), or CodeDocEndpointOptions.Authenticate to use the application's own authentication.")]
    public static partial void ApiNotConfigured(ILogger logger, string pattern);

    [LoggerMessage(EventId = 7011, Level = LogLevel.Information, Message = "CodeDoc API request {Method} {Path} refused with 401: {Reason}")]
    public static partial void ApiUnauthorized(ILogger logger, string method, string path, string reason);

    [LoggerMessage(EventId = 7012, Level = LogLevel.Information, Message = "CodeDoc API request {Method} {Path} failed with {StatusCode}: {Reason}")]
    public static partial void ApiFailed(ILogger logger, string method, string path, int statusCode, string reason);
}
