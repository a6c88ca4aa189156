using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace CodeDoc.Hosting.AspNetCore.Api;

/// <summary>
/// Authenticates every API request: the application's hook when set, otherwise the API key (header
/// <c>X-CodeDoc-Api-Key</c> or <c>Authorization: Bearer</c>, compared in constant time). The actor id is left in
/// <see cref="HttpContext.Items"/> for the handlers.
/// </summary>
/// <param name="options">The API options.</param>
/// <param name="loggerFactory">Creates the logger.</param>
internal sealed class ApiAuthenticationFilter(IOptionsMonitor<CodeDocEndpointOptions> options, ILoggerFactory loggerFactory) : IEndpointFilter
{
    /// <summary>The actor id the API key stands for.</summary>
    internal const string ApiKeyActor = "api-key";

    private static readonly object ActorItem = new();

    private readonly ILogger _logger = loggerFactory.CreateLogger(ApiEndpoints.LogCategory);

    /// <summary>Gets the authenticated actor of a request.</summary>
    /// <param name="context">The request.</param>
    /// <returns>The actor id.</returns>
    public static string Actor(HttpContext context) =>
        context.Items.TryGetValue(ActorItem, out var actor) && actor is string id ? id : throw new InvalidOperationException("The request was not authenticated by the CodeDoc API filter.");

    /// <inheritdoc />
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        var http = context.HttpContext;
        var current = options.CurrentValue;
        string? actor;
        string reason;
        if (current.Authenticate is { } authenticate)
        {
            actor = await authenticate(http).ConfigureAwait(false);
            reason = "the application's authentication refused the request";
        }
        else if (current.ApiKey is { Length: > 0 } key)
        {
            actor = Matches(Presented(http.Request), key) ? ApiKeyActor : null;
            reason = "no valid API key in X-CodeDoc-Api-Key or Authorization: Bearer";
        }
        else
        {
            actor = null;
            reason = "the API has neither an API key nor an authentication hook configured";
        }

        if (string.IsNullOrEmpty(actor))
        {
            EndpointsLog.ApiUnauthorized(_logger, http.Request.Method, http.Request.Path.Value ?? string.Empty, reason);
            http.Response.Headers.WWWAuthenticate = "Bearer";
            return Results.Problem(
                detail: $"Authentication required: {reason}. Send the API key in the {CodeDocEndpointOptions.ApiKeyHeader} header or as Authorization: Bearer <key>.",
                statusCode: StatusCodes.Status401Unauthorized);
        }

        http.Items[ActorItem] = actor;
        return await next(context).ConfigureAwait(false);
    }

    private static string? Presented(HttpRequest request)
    {
        if (request.Headers[CodeDocEndpointOptions.ApiKeyHeader] is { Count: 1 } header && !string.IsNullOrEmpty(header[0]))
        {
            return header[0];
        }

        var authorization = request.Headers[HeaderNames.Authorization].ToString();
        const string Bearer = "Bearer ";
        return authorization.StartsWith(Bearer, StringComparison.OrdinalIgnoreCase) ? authorization[Bearer.Length..].Trim() : null;
    }

    /// <summary>Compares hashes, so neither the content nor the length of the key shows in the timing.</summary>
    private static bool Matches(string? presented, string key) =>
        presented is not null &&
        CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(presented)), SHA256.HashData(Encoding.UTF8.GetBytes(key)));
}
