using System.Text;

namespace CodeDoc.Hosting;

/// <summary>A repository the host documents: where it lives, which Git provider reads it, and its webhook secret.</summary>
public sealed record WatchedRepository
{
    /// <summary>Gets the repository's id in the store (e.g. <c>acme-api</c>).</summary>
    public required string Id { get; init; }

    /// <summary>Gets the repository's web URL, as the Git provider parses it (e.g. <c>https://github.com/acme/api</c>).</summary>
    public required string Url { get; init; }

    /// <summary>Gets the id of the <see cref="ProviderConfiguration"/> that reads it; <see langword="null"/> for a Git provider registered in code.</summary>
    public string? GitProviderId { get; init; }

    /// <summary>
    /// Gets the webhook's host kind (<c>github</c>, <c>gitlab</c>, <c>bitbucket-cloud</c>, <c>bitbucket-dc</c>,
    /// <c>azure-devops</c>); <see langword="null"/> when the repository gets no webhooks.
    /// </summary>
    public string? WebhookHostKind { get; init; }

    /// <summary>Gets the webhook secret deliveries are verified with. Encrypted at rest; never printed.</summary>
    public string? WebhookSecret { get; init; }

    /// <summary>Prints everything but the webhook secret.</summary>
    /// <param name="builder">The builder.</param>
    /// <returns>Always <see langword="true"/>.</returns>
    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append("Id = ").Append(Id)
            .Append(", Url = ").Append(Url)
            .Append(", GitProviderId = ").Append(GitProviderId)
            .Append(", WebhookHostKind = ").Append(WebhookHostKind)
            .Append(", WebhookSecret = ").Append(WebhookSecret is null ? "none" : "[set]");
        return true;
    }
}
