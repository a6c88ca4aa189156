using CodeDoc.Core;
using Microsoft.Extensions.Options;

namespace CodeDoc.Hosting.Egress;

/// <summary>Builds the data-flow report from the same provider addresses the egress allowlist uses.</summary>
/// <param name="catalog">The providers' addresses.</param>
/// <param name="options">The host's options.</param>
internal sealed class HostingDataFlowReport(ProviderEndpointCatalog catalog, IOptionsMonitor<CodeDocHostingOptions> options) : IHostingDataFlowReport
{
    private const string ThisMachine = "this machine";

    /// <inheritdoc />
    public async Task<IReadOnlyList<DataFlow>> DescribeAsync(CancellationToken cancellationToken = default)
    {
        var flows = new List<DataFlow>();
        foreach (var provider in await catalog.ListAsync(cancellationToken).ConfigureAwait(false))
        {
            flows.Add(Describe(provider));
        }

        if (options.CurrentValue.Notifications.WebhookUrl is { IsAbsoluteUri: true } webhook)
        {
            flows.Add(new DataFlow(
                "Notification webhook",
                Show(webhook),
                "run metadata only (job, repository, branch, status, commit SHA, token usage, cost, page links); never source, prompts or generated content",
                LeavesMachine: !EndpointRules.IsLoopback(webhook)));
        }

        return flows;
    }

    private static DataFlow Describe(ProviderEndpoints provider)
    {
        var origin = provider.Stored ? "stored configuration" : "registered";
        var destination = provider.Category switch
        {
            ProviderCategory.Git => $"Git host {provider.DisplayName} ({origin} '{provider.Name}', {provider.Kind})",
            ProviderCategory.Ai => $"Model vendor {provider.DisplayName} ({origin} '{provider.Name}', {provider.Kind})",
            _ => $"Publisher {provider.DisplayName} ({origin} '{provider.Name}', {provider.Kind})",
        };

        if (!provider.Known)
        {
            return new DataFlow(destination, "unknown", "its address could not be read, so the egress allowlist refuses its requests", LeavesMachine: false);
        }

        var endpoint = provider.Endpoints.Count == 0 ? ThisMachine : string.Join(", ", provider.Endpoints.Select(Show).Distinct(StringComparer.OrdinalIgnoreCase));
        var leaves = provider.Endpoints.Any(e => !EndpointRules.IsLoopback(e));
        if (provider.Endpoints.Count == 0)
        {
            return new DataFlow(destination, endpoint, "stays on this machine: files are read from and written to local folders", LeavesMachine: false);
        }

        var data = provider.Category switch
        {
            ProviderCategory.Git => "the access token and read requests (repositories, branches, commits, archives); it receives nothing of the code, it only sends it",
            ProviderCategory.Ai => "prompts with redacted source excerpts (secrets removed) and the key; its answers are the generated text",
            _ => "the generated pages, their attachments and labels, with the publisher's credentials",
        };
        return new DataFlow(destination, endpoint, data, leaves);
    }

    // The host (with a port that is not the scheme's default): paths and queries may carry names or keys.
    private static string Show(Uri uri) => uri.IsDefaultPort ? uri.IdnHost : EgressOrigins.HostAndPort(uri);
}
