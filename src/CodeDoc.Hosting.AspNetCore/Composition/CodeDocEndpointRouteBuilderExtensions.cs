using CodeDoc.Core;
using CodeDoc.Hosting;
using CodeDoc.Hosting.AspNetCore;
using CodeDoc.Hosting.AspNetCore.Api;
using CodeDoc.Hosting.AspNetCore.Webhooks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CodeDoc;

/// <summary>Maps the CodeDoc webhook endpoints and the status and job API.</summary>
public static class CodeDocEndpointRouteBuilderExtensions
{
    /// <summary>
    /// Maps <c>POST {pattern}/{hostKind}</c> for Git host webhooks (<c>github</c>, <c>gitlab</c>, <c>bitbucket-cloud</c>,
    /// <c>bitbucket-dc</c>, <c>azure-devops</c>). Each delivery is verified with the webhook secret of the repository
    /// it names, de-duplicated, and queued; the answer comes before any run starts. No API authentication applies.
    /// </summary>
    /// <param name="endpoints">The application.</param>
    /// <param name="pattern">The route prefix.</param>
    /// <returns>The endpoint, for further conventions (e.g. rate limiting).</returns>
    /// <exception cref="CodeDocConfigurationException">The host's stores or jobs are not registered (<c>AddHosting</c> was not called).</exception>
    public static IEndpointConventionBuilder MapCodeDocWebhooks(this IEndpointRouteBuilder endpoints, string pattern = "/codedoc/webhooks")
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentException.ThrowIfNullOrWhiteSpace(pattern);
        RequireServices(endpoints.ServiceProvider, "MapCodeDocWebhooks", typeof(IRepositoryStore), typeof(IWebhookDeliveryStore), typeof(ICodeDocJobs));
        return endpoints.MapPost($"{pattern.TrimEnd('/')}/{{{WebhookEndpoint.HostKindParameter}}}", WebhookEndpoint.HandleAsync)
            .WithDisplayName("CodeDoc webhook")
            .DisableAntiforgery();
    }

    /// <summary>
    /// Maps the status and job API under <paramref name="pattern"/>: <c>GET jobs</c>, <c>GET jobs/{id}</c>,
    /// <c>POST jobs/{id}/runs</c>, <c>GET runs</c>, <c>GET runs/active</c>, <c>GET runs/{id}</c>,
    /// <c>POST runs/{id}/approve</c>, <c>POST runs/{id}/cancel</c>, <c>GET events</c> (server-sent events),
    /// <c>GET audit.csv</c> and <c>GET providers</c>. Every request is authenticated (see <see cref="CodeDocEndpointOptions"/>).
    /// </summary>
    /// <param name="endpoints">The application.</param>
    /// <param name="pattern">The route prefix.</param>
    /// <returns>The route group, for further conventions (e.g. <c>RequireAuthorization</c>).</returns>
    /// <exception cref="CodeDocConfigurationException">The host or the endpoints' options are not registered (<c>AddHosting</c>, <c>AddHostingEndpoints</c>).</exception>
    public static RouteGroupBuilder MapCodeDocApi(this IEndpointRouteBuilder endpoints, string pattern = "/codedoc/api")
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentException.ThrowIfNullOrWhiteSpace(pattern);
        var services = endpoints.ServiceProvider;
        RequireServices(services, "MapCodeDocApi", typeof(ICodeDocJobs), typeof(IJobStore), typeof(IRunHistoryStore), typeof(IRunMonitor), typeof(IAuditLog), typeof(IProviderConfigurationStore));
        if (services.GetService<IValidateOptions<CodeDocEndpointOptions>>() is null)
        {
            throw new CodeDocConfigurationException("MapCodeDocApi needs the endpoints' options: call builder.AddHostingEndpoints(...) on the CodeDoc builder (e.g. services.AddCodeDoc().AddHosting(...).AddHostingEndpoints(o => o.ApiKey = ...)).");
        }

        var options = services.GetRequiredService<IOptions<CodeDocEndpointOptions>>().Value;
        if (options.Authenticate is null && string.IsNullOrEmpty(options.ApiKey))
        {
            EndpointsLog.ApiNotConfigured(services.GetRequiredService<ILoggerFactory>().CreateLogger(ApiEndpoints.LogCategory), pattern);
        }

        var group = endpoints.MapGroup(pattern.TrimEnd('/'));
        group.AddEndpointFilter(new ApiAuthenticationFilter(services.GetRequiredService<IOptionsMonitor<CodeDocEndpointOptions>>(), services.GetRequiredService<ILoggerFactory>()));
        group.DisableAntiforgery();
        ApiEndpoints.Map(group);
        return group;
    }

    private static void RequireServices(IServiceProvider services, string caller, params Type[] types)
    {
        var known = services.GetService<IServiceProviderIsService>();
        var missing = types.Where(t => known is null ? services.GetService(t) is null : !known.IsService(t)).Select(t => t.Name).ToList();
        if (missing.Count > 0)
        {
            throw new CodeDocConfigurationException(
                $"{caller} needs the CodeDoc host's services ({string.Join(", ", missing)} are not registered): call services.AddCodeDoc().AddHosting(...) before building the application.");
        }
    }
}
