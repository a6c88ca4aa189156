namespace CodeDoc.Git.Bitbucket;

/// <summary>Where a Bitbucket registration sends its requests, derived once from validated options.</summary>
/// <param name="IsCloud">Whether it is Bitbucket Cloud (otherwise Data Center).</param>
/// <param name="WebAddress">The web address, ending with '/': repository URLs, permalinks and Cloud's web archive.</param>
/// <param name="ApiAddress">The REST API address, ending with '/'.</param>
internal sealed record BitbucketEndpoints(bool IsCloud, Uri WebAddress, Uri ApiAddress)
{
    /// <summary>Gets the product's name for messages.</summary>
    public string Product => IsCloud ? "Bitbucket Cloud" : "Bitbucket Data Center";

    /// <summary>Tells whether an address is Bitbucket Cloud's web site.</summary>
    /// <param name="address">An absolute address.</param>
    /// <returns>Whether its host is <c>bitbucket.org</c>.</returns>
    public static bool IsBitbucketOrg(Uri address) =>
        address.IsAbsoluteUri && (string.Equals(address.IdnHost, "bitbucket.org", StringComparison.OrdinalIgnoreCase) ||
            string.Equals(address.IdnHost, "www.bitbucket.org", StringComparison.OrdinalIgnoreCase));

    /// <summary>Decides whether options describe Bitbucket Cloud.</summary>
    /// <param name="options">The options.</param>
    /// <returns>Whether they do.</returns>
    public static bool IsCloudDeployment(BitbucketOptions options) => options.Deployment switch
    {
        BitbucketDeployment.Cloud => true,
        BitbucketDeployment.DataCenter => false,
        _ => options.BaseAddress is null || IsBitbucketOrg(options.BaseAddress),
    };

    /// <summary>Derives the endpoints from options that passed validation.</summary>
    /// <param name="options">The options.</param>
    /// <returns>The endpoints.</returns>
    public static BitbucketEndpoints From(BitbucketOptions options)
    {
        var web = WithSlash(options.BaseAddress ?? BitbucketOptions.CloudWebAddress);
        if (!IsCloudDeployment(options))
        {
            return new BitbucketEndpoints(false, web, new Uri(web, "rest/api/latest/"));
        }

        var api = options.ApiAddress ?? (IsBitbucketOrg(web) ? BitbucketOptions.CloudApiAddress : throw new InvalidOperationException("ApiAddress is required; validation should have said so."));
        return new BitbucketEndpoints(true, web, WithSlash(api));
    }

    /// <summary>Tells whether an address is on an origin (scheme, host and port).</summary>
    /// <param name="uri">The address.</param>
    /// <param name="origin">The origin.</param>
    /// <returns>Whether it is.</returns>
    public static bool SameOrigin(Uri uri, Uri origin) =>
        uri.IsAbsoluteUri && string.Equals(uri.Scheme, origin.Scheme, StringComparison.OrdinalIgnoreCase) &&
        string.Equals(uri.IdnHost, origin.IdnHost, StringComparison.OrdinalIgnoreCase) && uri.Port == origin.Port;

    /// <summary>Appends a '/' to an address's path, so relative paths resolve below it.</summary>
    /// <param name="address">The address.</param>
    /// <returns>The address ending with '/'.</returns>
    public static Uri WithSlash(Uri address) =>
        address.AbsolutePath.EndsWith('/') ? address : new UriBuilder(address) { Path = address.AbsolutePath + "/" }.Uri;
}
