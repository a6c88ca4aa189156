using System.Net.Http.Headers;
using System.Text;

namespace CodeDoc.Git.Bitbucket;

/// <summary>How a registration authenticates, and the header that carries it. Never printed.</summary>
internal sealed class BitbucketCredentials
{
    private readonly AuthenticationHeaderValue? _header;

    private BitbucketCredentials(AuthenticationHeaderValue? header, string description, bool isAccessToken)
    {
        _header = header;
        Description = description;
        IsAccessToken = isAccessToken;
    }

    /// <summary>Gets a description for messages, e.g. "the API token of me@example.com"; never the token.</summary>
    public string Description { get; }

    /// <summary>Gets a value indicating whether a token is configured.</summary>
    public bool IsSet => _header is not null;

    /// <summary>Gets a value indicating whether the token is a Cloud repository, project or workspace access token.</summary>
    public bool IsAccessToken { get; }

    /// <summary>Builds the credentials of validated options.</summary>
    /// <param name="options">The options.</param>
    /// <param name="isCloud">Whether they are for Bitbucket Cloud.</param>
    /// <returns>The credentials.</returns>
    public static BitbucketCredentials From(BitbucketOptions options, bool isCloud)
    {
        if (string.IsNullOrEmpty(options.Token))
        {
            return new BitbucketCredentials(null, "no token (anonymous: public repositories only)", isAccessToken: false);
        }

        if (isCloud && !string.IsNullOrEmpty(options.Email))
        {
            return new BitbucketCredentials(Basic(options.Email, options.Token), $"the API token of {options.Email}", isAccessToken: false);
        }

        if (!isCloud && !string.IsNullOrEmpty(options.Username))
        {
            return new BitbucketCredentials(Basic(options.Username, options.Token), $"the HTTP access token of user '{options.Username}' (Basic)", isAccessToken: false);
        }

        return isCloud
            ? new BitbucketCredentials(new AuthenticationHeaderValue("Bearer", options.Token), "an access token (repository, project or workspace)", isAccessToken: true)
            : new BitbucketCredentials(new AuthenticationHeaderValue("Bearer", options.Token), "an HTTP access token", isAccessToken: false);
    }

    /// <summary>Puts the credentials on a request.</summary>
    /// <param name="request">The request.</param>
    public void Apply(HttpRequestMessage request)
    {
        if (_header is not null)
        {
            request.Headers.Authorization = _header;
        }
    }

    /// <inheritdoc />
    public override string ToString() => Description;

    private static AuthenticationHeaderValue Basic(string user, string token) =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(user + ":" + token)));
}
