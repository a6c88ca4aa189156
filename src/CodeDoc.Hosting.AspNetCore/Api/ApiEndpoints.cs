using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using CodeDoc.Core;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CodeDoc.Hosting.AspNetCore.Api;

/// <summary>The status and job API: jobs, runs, approvals, live events, the audit export and provider configurations (never their secrets).</summary>
internal static class ApiEndpoints
{
    /// <summary>The logger category.</summary>
    internal const string LogCategory = "CodeDoc.Hosting.AspNetCore.Api";

    /// <summary>The most runs one history request returns.</summary>
    internal const int MaxRunLimit = 1000;

    /// <summary>The largest request body the API reads.</summary>
    internal const int MaxRequestBodyBytes = 64 * 1024;

    /// <summary>Maps the API's routes on a group that already carries the authentication filter.</summary>
    /// <param name="group">The group.</param>
    public static void Map(RouteGroupBuilder group)
    {
        // Typed as delegates, not RequestDelegate: only route handlers run the group's endpoint filters.
        group.MapGet("/jobs", (Func<HttpContext, Task<IResult>>)ListJobsAsync);
        group.MapGet("/jobs/{id}", (Func<HttpContext, string, Task<IResult>>)GetJobAsync);
        group.MapPost("/jobs/{id}/runs", (Func<HttpContext, string, Task<IResult>>)RunJobAsync);
        group.MapGet("/runs", (Func<HttpContext, Task<IResult>>)ListRunsAsync);
        group.MapGet("/runs/active", (Func<HttpContext, IResult>)ActiveRuns);
        group.MapGet("/runs/{id}", (Func<HttpContext, string, Task<IResult>>)GetRunAsync);
        group.MapPost("/runs/{id}/approve", (Func<HttpContext, string, Task<IResult>>)ApproveAsync);
        group.MapPost("/runs/{id}/cancel", (Func<HttpContext, string, Task<IResult>>)CancelAsync);
        group.MapGet("/events", (Func<HttpContext, Task>)StreamEventsAsync);
        group.MapGet("/audit.csv", (Func<HttpContext, Task>)ExportAuditAsync);
        group.MapGet("/providers", (Func<HttpContext, Task<IResult>>)ListProvidersAsync);
    }

    private static async Task<IResult> ListJobsAsync(HttpContext context) =>
        Json(await Service<IJobStore>(context).ListAsync(context.RequestAborted).ConfigureAwait(false));

    private static async Task<IResult> GetJobAsync(HttpContext context, string id) =>
        await Service<IJobStore>(context).GetAsync(id, context.RequestAborted).ConfigureAwait(false) is { } job
            ? Json(job)
            : Problem(context, StatusCodes.Status404NotFound, UnknownJob(id));

    private static async Task<IResult> RunJobAsync(HttpContext context, string id)
    {
        var aborted = context.RequestAborted;
        if (await Service<IJobStore>(context).GetAsync(id, aborted).ConfigureAwait(false) is null)
        {
            return Problem(context, StatusCodes.Status404NotFound, UnknownJob(id));
        }

        RunRequestOptions? options;
        try
        {
            options = await ReadRunRequestAsync(context).ConfigureAwait(false);
        }
        catch (InvalidDataException ex)
        {
            return Problem(context, StatusCodes.Status400BadRequest, ex.Message);
        }

        try
        {
            var runs = await Service<ICodeDocJobs>(context).RunAsync(id, ApiAuthenticationFilter.Actor(context), options, aborted).ConfigureAwait(false);
            return Json(new { runs }, StatusCodes.Status202Accepted);
        }
        catch (CodeDocConfigurationException ex)
        {
            return Problem(context, StatusCodes.Status400BadRequest, ex.Message);
        }
    }

    private static async Task<IResult> ListRunsAsync(HttpContext context)
    {
        var query = context.Request.Query;
        var statuses = new List<RunStatus>();
        foreach (var value in query["status"].SelectMany(v => (v ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)))
        {
            if (!Enum.TryParse<RunStatus>(value, ignoreCase: true, out var status) || !Enum.IsDefined(status) || char.IsDigit(value[0]))
            {
                return Problem(context, StatusCodes.Status400BadRequest,
                    $"Unknown run status '{value}': use {string.Join(", ", Enum.GetNames<RunStatus>().Select(JsonNamingPolicy.CamelCase.ConvertName))}.");
            }

            statuses.Add(status);
        }

        var limit = 100;
        if (query["limit"] is { Count: > 0 } limitText &&
            (!int.TryParse(limitText[0], NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit is < 1 or > MaxRunLimit))
        {
            return Problem(context, StatusCodes.Status400BadRequest, string.Create(CultureInfo.InvariantCulture, $"The limit must be a whole number from 1 to {MaxRunLimit}."));
        }

        var jobId = query["jobId"] is { Count: > 0 } job && !string.IsNullOrEmpty(job[0]) ? job[0] : null;
        var runs = await Service<IRunHistoryStore>(context)
            .ListAsync(new RunQuery { JobId = jobId, Statuses = statuses, Limit = limit }, context.RequestAborted)
            .ConfigureAwait(false);
        return Json(runs);
    }

    private static IResult ActiveRuns(HttpContext context) => Json(Service<IRunMonitor>(context).Active);

    private static async Task<IResult> GetRunAsync(HttpContext context, string id) =>
        await Service<IRunHistoryStore>(context).GetAsync(id, context.RequestAborted).ConfigureAwait(false) is { } run
            ? Json(run)
            : Problem(context, StatusCodes.Status404NotFound, UnknownRun(id));

    private static async Task<IResult> ApproveAsync(HttpContext context, string id)
    {
        if (await Service<IRunHistoryStore>(context).GetAsync(id, context.RequestAborted).ConfigureAwait(false) is null)
        {
            return Problem(context, StatusCodes.Status404NotFound, UnknownRun(id));
        }

        try
        {
            return Json(await Service<ICodeDocJobs>(context).ApproveAsync(id, ApiAuthenticationFilter.Actor(context), context.RequestAborted).ConfigureAwait(false));
        }
        catch (Exception ex) when (ex is CodeDocException or InvalidOperationException)
        {
            return Problem(context, StatusCodes.Status409Conflict, ex.Message);
        }
    }

    private static async Task<IResult> CancelAsync(HttpContext context, string id)
    {
        if (await Service<IRunHistoryStore>(context).GetAsync(id, context.RequestAborted).ConfigureAwait(false) is null)
        {
            return Problem(context, StatusCodes.Status404NotFound, UnknownRun(id));
        }

        return await Service<ICodeDocJobs>(context).CancelAsync(id, ApiAuthenticationFilter.Actor(context), context.RequestAborted).ConfigureAwait(false)
            ? Json(new { cancelled = true })
            : Problem(context, StatusCodes.Status409Conflict, $"Run '{id}' has already finished, so it cannot be cancelled.");
    }

    /// <summary>Streams run events as server-sent events until the client disconnects: first the runs under way (<c>active</c>), then <c>progress</c> and <c>status</c> events.</summary>
    private static async Task StreamEventsAsync(HttpContext context)
    {
        var monitor = Service<IRunMonitor>(context);
        var heartbeat = Service<IOptionsMonitor<CodeDocEndpointOptions>>(context).CurrentValue.EventsHeartbeatInterval;
        var timeProvider = Service<TimeProvider>(context);
        var aborted = context.RequestAborted;

        // A slow reader loses the oldest events instead of holding memory without bound.
        var events = Channel.CreateBounded<(string Name, string Data)>(new BoundedChannelOptions(256)
        {
            FullMode = BoundedChannelFullMode.DropOldest,
            SingleReader = true,
        });
        void OnProgress(object? sender, RunProgressSnapshot snapshot) => events.Writer.TryWrite(("progress", JsonSerializer.Serialize(snapshot, EndpointJson.Options)));
        void OnStatus(object? sender, RunRecord run) => events.Writer.TryWrite(("status", JsonSerializer.Serialize(run, EndpointJson.Options)));

        monitor.Progress += OnProgress;
        monitor.StatusChanged += OnStatus;
        try
        {
            var response = context.Response;
            response.ContentType = "text/event-stream";
            response.Headers.CacheControl = "no-cache";
            context.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
            await WriteEventAsync(response, "active", JsonSerializer.Serialize(monitor.Active, EndpointJson.Options), aborted).ConfigureAwait(false);

            var waiting = events.Reader.WaitToReadAsync(aborted).AsTask();
            while (true)
            {
                using var pause = CancellationTokenSource.CreateLinkedTokenSource(aborted);
                var delay = Task.Delay(heartbeat, timeProvider, pause.Token);
                if (await Task.WhenAny(waiting, delay).ConfigureAwait(false) == waiting)
                {
                    await pause.CancelAsync().ConfigureAwait(false);
                    if (!await waiting.ConfigureAwait(false))
                    {
                        return;
                    }

                    while (events.Reader.TryRead(out var item))
                    {
                        await WriteEventAsync(response, item.Name, item.Data, aborted).ConfigureAwait(false);
                    }

                    waiting = events.Reader.WaitToReadAsync(aborted).AsTask();
                }
                else
                {
                    await delay.ConfigureAwait(false);
                    await response.WriteAsync(": keep-alive\n\n", aborted).ConfigureAwait(false);
                    await response.Body.FlushAsync(aborted).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException) when (aborted.IsCancellationRequested)
        {
            // The client went away: that is how an event stream ends.
        }
        finally
        {
            monitor.Progress -= OnProgress;
            monitor.StatusChanged -= OnStatus;
        }
    }

    private static async Task ExportAuditAsync(HttpContext context)
    {
        // The export writes synchronously into its writer; buffer it (spilling to a temp file when large), since
        // Kestrel refuses synchronous writes to the response.
        await using var buffer = new FileBufferingWriteStream();
        await using (var writer = new StreamWriter(buffer, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), bufferSize: 16 * 1024, leaveOpen: true))
        {
            await Service<IAuditLog>(context).ExportCsvAsync(writer, context.RequestAborted).ConfigureAwait(false);
            await writer.FlushAsync(context.RequestAborted).ConfigureAwait(false);
        }

        context.Response.ContentType = "text/csv; charset=utf-8";
        context.Response.Headers.ContentDisposition = "attachment; filename=\"codedoc-audit.csv\"";
        await buffer.DrainBufferAsync(context.Response.Body, context.RequestAborted).ConfigureAwait(false);
    }

    private static async Task<IResult> ListProvidersAsync(HttpContext context)
    {
        var configurations = await Service<IProviderConfigurationStore>(context).ListAsync(context.RequestAborted).ConfigureAwait(false);

        // Only the names of the secrets leave the host, whatever the store returned as values.
        return Json(configurations.Select(c => new
        {
            c.Id,
            c.Category,
            c.Kind,
            c.DisplayName,
            c.Settings,
            SecretKeys = c.Secrets.Keys.Order(StringComparer.Ordinal).ToList(),
        }).ToList());
    }

    private static async Task<RunRequestOptions?> ReadRunRequestAsync(HttpContext context)
    {
        var request = context.Request;
        if (request.ContentLength > MaxRequestBodyBytes)
        {
            throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture, $"The request body is larger than {MaxRequestBodyBytes} bytes."));
        }

        using var body = new MemoryStream();
        var chunk = new byte[4096];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, context.RequestAborted).ConfigureAwait(false)) > 0)
        {
            body.Write(chunk, 0, read);
            if (body.Length > MaxRequestBodyBytes)
            {
                throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture, $"The request body is larger than {MaxRequestBodyBytes} bytes."));
            }
        }

        if (body.Length == 0)
        {
            return null;
        }

        try
        {
            var parsed = JsonSerializer.Deserialize<RunRequestBody>(body.GetBuffer().AsSpan(0, (int)body.Length), EndpointJson.Options);
            return parsed is null ? null : new RunRequestOptions
            {
                RepositoryId = parsed.RepositoryId,
                Branch = parsed.Branch,
                FullRegeneration = parsed.FullRegeneration,
                Force = parsed.Force,
            };
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException(
                $"The request body is not a run request: expected JSON like {{\"repositoryId\":\"...\",\"branch\":\"main\",\"fullRegeneration\":false,\"force\":false}} ({ex.Message}).", ex);
        }
    }

    private static async Task WriteEventAsync(HttpResponse response, string name, string data, CancellationToken cancellationToken)
    {
        await response.WriteAsync($"event: {name}\ndata: {data}\n\n", cancellationToken).ConfigureAwait(false);
        await response.Body.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    private static T Service<T>(HttpContext context)
        where T : notnull => context.RequestServices.GetRequiredService<T>();

    private static string UnknownJob(string id) => $"There is no job '{id}': list the jobs with GET jobs.";

    private static string UnknownRun(string id) => $"There is no run '{id}' in the history: list the runs with GET runs.";

    private static IResult Json(object? value, int statusCode = StatusCodes.Status200OK) => Results.Json(value, EndpointJson.Options, statusCode: statusCode);

    private static IResult Problem(HttpContext context, int statusCode, string detail)
    {
        var logger = Service<ILoggerFactory>(context).CreateLogger(LogCategory);
        EndpointsLog.ApiFailed(logger, context.Request.Method, context.Request.Path.Value ?? string.Empty, statusCode, detail);
        return Results.Problem(detail: detail, statusCode: statusCode);
    }

    /// <summary>The body of a manual run request; every field optional.</summary>
    private sealed record RunRequestBody(string? RepositoryId, string? Branch, bool FullRegeneration, bool Force);
}
