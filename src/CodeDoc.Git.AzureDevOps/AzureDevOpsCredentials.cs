using System.Net.Http.Headers;
using System.Text;
using Azure.Core;
using Azure.Identity;

namespace CodeDoc.Git.AzureDevOps;

/// <summary>
/// The credentials of one registration: a personal access token (Basic with an empty user name) or a Microsoft Entra
/// credential whose tokens for Azure DevOps are cached until shortly before they expire. Never exposes a secret
/// through <see cref="Description"/> or <see cref="ToString"/>.
/// </summary>
internal sealed class AzureDevOpsCredentials
{
    /// <summary>The scope of Azure DevOps (its well-known application id) for Entra tokens.</summary>
    public const string Scope = "499b84ac-1321-427f-aa17-267ca6975798/.default";

    private static readonly TimeSpan RefreshMargin = TimeSpan.FromMinutes(5);

    private readonly AuthenticationHeaderValue? _basic;
    private readonly TokenCredential? _credential;
    private readonly TimeProvider _time;
    private readonly Lock _gate = new();
    private Task<AccessToken>? _fetch;

    private AzureDevOpsCredentials(AuthenticationHeaderValue? basic, TokenCredential? credential, string description, TimeProvider time)
    {
        _basic = basic;
        _credential = credential;
        Description = description;
        _time = time;
    }

    /// <summary>Gets what the credentials are, for messages.</summary>
    public string Description { get; }

    /// <summary>Gets a value indicating whether any credentials are set.</summary>
    public bool IsSet => _basic is not null || _credential is not null;

    /// <summary>Gets a value indicating whether they are a Microsoft Entra credential.</summary>
    public bool IsEntra => _credential is not null;

    /// <summary>Builds the credentials validated options describe.</summary>
    /// <param name="options">The options.</param>
    /// <param name="time">The clock, for token expiry.</param>
    /// <returns>The credentials.</returns>
    public static AzureDevOpsCredentials From(AzureDevOpsOptions options, TimeProvider time)
    {
        if (!string.IsNullOrEmpty(options.Token))
        {
            var basic = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(":" + options.Token)));
            return new AzureDevOpsCredentials(basic, null, "the personal access token", time);
        }

        if (options.Credential is { } credential)
        {
            return new AzureDevOpsCredentials(null, credential, $"the Microsoft Entra credential ({credential.GetType().Name})", time);
        }

        if (!string.IsNullOrEmpty(options.ClientSecret))
        {
            var principal = new ClientSecretCredential(options.TenantId, options.ClientId, options.ClientSecret);
            return new AzureDevOpsCredentials(null, principal, $"the service principal {options.ClientId} of tenant {options.TenantId}", time);
        }

        return new AzureDevOpsCredentials(null, null, "no credentials (anonymous: public projects only)", time);
    }

    /// <summary>Puts the credentials on a request, getting or refreshing an Entra token first when needed.</summary>
    /// <param name="request">The request.</param>
    /// <param name="cancellationToken">Cancels getting a token.</param>
    /// <returns>A task.</returns>
    public async ValueTask ApplyAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (_basic is not null)
        {
            request.Headers.Authorization = _basic;
            return;
        }

        if (_credential is null)
        {
            return;
        }

        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await TokenAsync(cancellationToken).ConfigureAwait(false));
    }

    /// <inheritdoc />
    public override string ToString() => Description;

    private async ValueTask<string> TokenAsync(CancellationToken cancellationToken)
    {
        // One fetch at a time, shared by concurrent requests; a failed or stale token starts a new one.
        Task<AccessToken> fetch;
        lock (_gate)
        {
            if (_fetch is { IsCompletedSuccessfully: true } done && done.Result.ExpiresOn - RefreshMargin > _time.GetUtcNow())
            {
                return done.Result.Token;
            }

            if (_fetch is null || _fetch.IsCompleted)
            {
                _fetch = _credential!.GetTokenAsync(new TokenRequestContext([Scope]), CancellationToken.None).AsTask();
            }

            fetch = _fetch;
        }

        return (await fetch.WaitAsync(cancellationToken).ConfigureAwait(false)).Token;
    }
}
