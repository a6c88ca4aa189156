using System.Buffers;
using System.Security.Cryptography;
using CodeDoc.Core;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace CodeDoc.Hosting.AspNetCore.Webhooks;

/// <summary>
/// Receives one webhook delivery: checks its size and content type, finds the host's handler, parses it, verifies it
/// with the secret of the repository it names, drops duplicates and hands each push to <see cref="ICodeDocJobs"/>,
/// which only queues. Cheap checks come first, so a flood of junk costs little; nothing here starts a run.
/// </summary>
internal static class WebhookEndpoint
{
    /// <summary>The route parameter naming the host kind.</summary>
    internal const string HostKindParameter = "hostKind";

    /// <summary>The logger category.</summary>
    internal const string LogCategory = "CodeDoc.Hosting.AspNetCore.Webhooks";

    private const int ReadChunkBytes = 16 * 1024;

    /// <summary>Handles a delivery.</summary>
    /// <param name="context">The request.</param>
    /// <returns>A task that completes when answered.</returns>
    public static async Task HandleAsync(HttpContext context)
    {
        var result = await ProcessAsync(context).ConfigureAwait(false);
        await result.ExecuteAsync(context).ConfigureAwait(false);
    }

    private static async Task<IResult> ProcessAsync(HttpContext context)
    {
        var services = context.RequestServices;
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger(LogCategory);
        var hostKind = context.GetRouteValue(HostKindParameter) as string ?? string.Empty;
        var request = context.Request;
        var maxBodyBytes = services.GetRequiredService<IOptions<CodeDocHostingOptions>>().Value.Webhooks.MaxBodyBytes;

        if (request.ContentLength > maxBodyBytes)
        {
            return Reject(logger, hostKind, StatusCodes.Status413PayloadTooLarge, TooLarge(maxBodyBytes));
        }

        if (!IsJson(request.ContentType))
        {
            return Reject(logger, hostKind, StatusCodes.Status415UnsupportedMediaType,
                "The delivery's content type is not JSON: choose application/json as the content type in the hook's settings.");
        }

        if (services.GetKeyedService<IWebhookHandler>(hostKind) is not { } handler)
        {
            return Reject(logger, hostKind, StatusCodes.Status404NotFound,
                "No webhook handler is registered for this host kind: check the hook's URL (…/github, …/gitlab, …/bitbucket-cloud, …/bitbucket-dc, …/azure-devops) and register the Git host's package (e.g. AddGitHub(), AddBitbucketWebhooks()).");
        }

        var body = await ReadBodyAsync(context, maxBodyBytes).ConfigureAwait(false);
        if (body is null)
        {
            return Reject(logger, hostKind, StatusCodes.Status413PayloadTooLarge, TooLarge(maxBodyBytes));
        }

        var delivery = new WebhookDelivery(request.Headers.Select(h => KeyValuePair.Create(h.Key, h.Value.ToString())), body);
        WebhookParseResult parsed;
        try
        {
            parsed = handler.Parse(delivery);
        }
        catch (WebhookPayloadException ex)
        {
            return Reject(logger, hostKind, StatusCodes.Status400BadRequest, ex.Message);
        }

        switch (parsed.Kind)
        {
            case WebhookEventKind.Ping:
                EndpointsLog.WebhookPing(logger, hostKind);
                return Status(StatusCodes.Status200OK, new { status = "pong" });
            case WebhookEventKind.Ignored:
                var reason = parsed.Reason ?? "CodeDoc does not act on this event.";
                EndpointsLog.WebhookIgnored(logger, hostKind, parsed.DeliveryId, reason);
                return Status(StatusCodes.Status200OK, new { status = "ignored", reason });
            case WebhookEventKind.Push:
            default:
                return await HandlePushesAsync(context, logger, hostKind, handler, delivery, parsed).ConfigureAwait(false);
        }
    }

    private static async Task<IResult> HandlePushesAsync(
        HttpContext context, ILogger logger, string hostKind, IWebhookHandler handler, WebhookDelivery delivery, WebhookParseResult parsed)
    {
        var services = context.RequestServices;
        var aborted = context.RequestAborted;
        var repositories = services.GetRequiredService<IRepositoryStore>();

        // Every repository URL the delivery names must be known and the delivery verified with its secret before
        // anything is recorded, so a forged delivery can neither queue a run nor claim a delivery id.
        var verified = new Dictionary<string, List<WatchedRepository>>(StringComparer.Ordinal);
        foreach (var url in parsed.Pushes.Select(p => p.RepositoryUrl).Distinct(StringComparer.Ordinal))
        {
            var found = await repositories.FindByUrlAsync(url, aborted).ConfigureAwait(false);
            if (found.Count == 0)
            {
                return Reject(logger, hostKind, StatusCodes.Status404NotFound,
                    "Unknown repository: no repository with the URL the delivery names is registered here, so there is no secret to verify it with. Add the repository (with its webhook secret) to the CodeDoc host, or remove the hook.");
            }

            var candidates = found
                .Where(r => !string.IsNullOrEmpty(r.WebhookSecret) && string.Equals(r.WebhookHostKind, hostKind, StringComparison.OrdinalIgnoreCase))
                .ToList();
            if (candidates.Count == 0)
            {
                return Reject(logger, hostKind, StatusCodes.Status404NotFound,
                    $"Unknown repository: the repository is registered but not for webhooks of this host kind; set its WebhookHostKind to '{hostKind}' and its WebhookSecret.");
            }

            string? failure = null;
            var valid = new List<WatchedRepository>();
            foreach (var candidate in candidates)
            {
                var verification = handler.Verify(delivery, new WebhookSecret(candidate.WebhookSecret!));
                if (verification.IsValid)
                {
                    valid.Add(candidate);
                }
                else
                {
                    failure ??= verification.FailureReason;
                }
            }

            if (valid.Count == 0)
            {
                return Reject(logger, hostKind, StatusCodes.Status401Unauthorized,
                    failure ?? "The delivery could not be verified with the repository's webhook secret.");
            }

            verified[url] = valid;
        }

        var deliveries = services.GetRequiredService<IWebhookDeliveryStore>();
        var now = services.GetRequiredService<TimeProvider>().GetUtcNow();

        // A host that redelivers keeps its id; a replay under a new id (or a host that sends none) has the same body.
        var deliveryId = parsed.DeliveryId;
        // Both keys in one call, so a store that batches records them in one write.
        var bodyKey = BodyKey(delivery.Body.Span);
        var isNew = await deliveries.TryRecordAllAsync(hostKind, deliveryId is null ? [bodyKey] : [deliveryId, bodyKey], now, aborted).ConfigureAwait(false);
        if (!isNew)
        {
            EndpointsLog.WebhookDuplicate(logger, hostKind, deliveryId);
            return Status(StatusCodes.Status200OK, new { status = "duplicate" });
        }

        // Recorded: from here the push must reach the queue even if the sender hangs up, since a retry is now a duplicate.
        var stopping = services.GetService<IHostApplicationLifetime>()?.ApplicationStopping ?? CancellationToken.None;
        var jobs = services.GetRequiredService<ICodeDocJobs>();
        var outcomes = new List<PushOutcome>();
        foreach (var push in parsed.Pushes)
        {
            foreach (var repository in verified[push.RepositoryUrl])
            {
                var disposition = await jobs.OnPushAsync(repository, push, stopping).ConfigureAwait(false);
                EndpointsLog.WebhookPushHandled(logger, hostKind, deliveryId, repository.Id, push.Ref, disposition);
                outcomes.Add(new PushOutcome(repository.Id, push.Ref, disposition));
            }
        }

        if (outcomes.Any(o => o.Disposition is PushDisposition.Queued or PushDisposition.Coalesced))
        {
            return Status(StatusCodes.Status202Accepted, new { status = "queued", pushes = outcomes });
        }

        // 2xx even when nothing follows the push: GitLab disables hooks that keep answering 4xx.
        return outcomes.All(o => o.Disposition == PushDisposition.Ignored)
            ? Status(StatusCodes.Status200OK, new { status = "ignored", reason = "No enabled job follows the pushed refs of this repository with push triggers.", pushes = outcomes })
            : Status(StatusCodes.Status200OK, new { status = "refDeleted", reason = "The pushed refs were deleted: queued runs for them were cancelled and nothing was started.", pushes = outcomes });
    }

    private static bool IsJson(string? contentType) =>
        MediaTypeHeaderValue.TryParse(contentType, out var media) &&
        (media.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase) ||
         media.MediaType.EndsWith("+json", StringComparison.OrdinalIgnoreCase));

    /// <summary>Reads the body, never holding more than <paramref name="limit"/> bytes.</summary>
    /// <returns>The body, or <see langword="null"/> when it is larger than the limit.</returns>
    private static async Task<byte[]?> ReadBodyAsync(HttpContext context, long limit)
    {
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } sizeFeature)
        {
            // Kestrel's own cap (30 MB by default) would otherwise decide for bodies between the two.
            sizeFeature.MaxRequestBodySize = limit;
        }

        var stream = context.Request.Body;
        var initial = (int)Math.Min(context.Request.ContentLength ?? ReadChunkBytes, limit + 1);
        var buffer = ArrayPool<byte>.Shared.Rent(Math.Max(initial, 1));
        try
        {
            var length = 0;
            while (true)
            {
                if (length == buffer.Length)
                {
                    if (length > limit)
                    {
                        return null;
                    }

                    var larger = ArrayPool<byte>.Shared.Rent((int)Math.Min((long)buffer.Length * 2, limit + 1));
                    buffer.AsSpan(0, length).CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = larger;
                }

                int read;
                try
                {
                    read = await stream.ReadAsync(buffer.AsMemory(length), context.RequestAborted).ConfigureAwait(false);
                }
                catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
                {
                    return null;
                }

                if (read == 0)
                {
                    return length > limit ? null : buffer.AsSpan(0, length).ToArray();
                }

                length += read;
                if (length > limit)
                {
                    return null;
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static string BodyKey(ReadOnlySpan<byte> body) => "sha256:" + Convert.ToHexStringLower(SHA256.HashData(body));

    private static string TooLarge(long limit) =>
        $"The delivery is larger than the {limit.ToString(System.Globalization.CultureInfo.InvariantCulture)} bytes accepted (CodeDoc:Hosting:Webhooks:MaxBodyBytes).";

    private static IResult Reject(ILogger logger, string hostKind, int statusCode, string reason)
    {
        EndpointsLog.WebhookRejected(logger, hostKind, statusCode, reason);
        return Results.Problem(detail: reason, statusCode: statusCode);
    }

    private static IResult Status(int statusCode, object body) => Results.Json(body, EndpointJson.Options, statusCode: statusCode);

    /// <summary>What became of one push for one repository.</summary>
    /// <param name="RepositoryId">The repository.</param>
    /// <param name="Ref">The full ref.</param>
    /// <param name="Disposition">What became of it.</param>
    private sealed record PushOutcome(string RepositoryId, string Ref, PushDisposition Disposition);
}
