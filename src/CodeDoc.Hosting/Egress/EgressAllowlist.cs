using Microsoft.Extensions.Options;

namespace CodeDoc.Hosting.Egress;

/// <summary>
/// The origins (scheme, host, port) outbound requests of the host may reach: every provider's endpoint (registered in
/// code or stored), the notification webhook and <see cref="HostingEgressOptions.AllowedHosts"/>.
/// </summary>
/// <remarks>
/// The list is rebuilt when it is older than <see cref="Lifetime"/>, so a deleted configuration stops being reachable,
/// and once more before a request is refused, so a configuration saved a moment ago is reachable at once.
/// </remarks>
/// <param name="catalog">The providers' addresses.</param>
/// <param name="options">The host's options.</param>
/// <param name="time">The clock.</param>
internal sealed class EgressAllowlist(ProviderEndpointCatalog catalog, IOptionsMonitor<CodeDocHostingOptions> options, TimeProvider time)
{
    /// <summary>How long a built list is used before it is rebuilt.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(30);

    private Snapshot? _snapshot;

    /// <summary>Gets a value indicating whether the rules are enforced.</summary>
    public bool Enforced => options.CurrentValue.Egress.Enforce;

    /// <summary>Decides whether a request may be sent.</summary>
    /// <param name="uri">The request's address.</param>
    /// <param name="cancellationToken">Cancels a rebuild of the list.</param>
    /// <returns>Whether the address is allowed (always, when the rules are not enforced).</returns>
    public async ValueTask<bool> IsAllowedAsync(Uri? uri, CancellationToken cancellationToken = default)
    {
        if (!Enforced)
        {
            return true;
        }

        if (EgressOrigins.Of(uri) is not { } origin)
        {
            return false;
        }

        var snapshot = Volatile.Read(ref _snapshot);
        var now = time.GetUtcNow();
        if (snapshot is null || now - snapshot.BuiltAt >= Lifetime)
        {
            snapshot = await RebuildAsync(now, cancellationToken).ConfigureAwait(false);
        }

        if (snapshot.Origins.Contains(origin))
        {
            return true;
        }

        // A refusal is rare and final for the caller: make sure it is not for a configuration saved since the last build.
        if (snapshot.BuiltAt != now)
        {
            snapshot = await RebuildAsync(now, cancellationToken).ConfigureAwait(false);
        }

        return snapshot.Origins.Contains(origin);
    }

    /// <summary>Lists the allowed origins now.</summary>
    /// <param name="cancellationToken">Cancels the store read.</param>
    /// <returns>The origins, e.g. <c>https://api.github.com:443</c>.</returns>
    public async Task<IReadOnlySet<string>> OriginsAsync(CancellationToken cancellationToken = default) =>
        (await RebuildAsync(time.GetUtcNow(), cancellationToken).ConfigureAwait(false)).Origins;

    private async Task<Snapshot> RebuildAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var origins = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var provider in await catalog.ListAsync(cancellationToken).ConfigureAwait(false))
        {
            foreach (var endpoint in provider.Endpoints)
            {
                origins.UnionWith(EgressOrigins.WithCompanions(endpoint));
            }
        }

        var current = options.CurrentValue;
        if (EgressOrigins.Of(current.Notifications.WebhookUrl) is { } webhook)
        {
            origins.Add(webhook);
        }

        foreach (var entry in current.Egress.AllowedHosts)
        {
            if (EgressOrigins.TryParseAllowed(entry, out var allowed))
            {
                origins.Add(allowed);
            }
        }

        var snapshot = new Snapshot(origins, now);
        Volatile.Write(ref _snapshot, snapshot);
        return snapshot;
    }

    private sealed record Snapshot(IReadOnlySet<string> Origins, DateTimeOffset BuiltAt);
}
