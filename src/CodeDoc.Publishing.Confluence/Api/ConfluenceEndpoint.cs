using System.Globalization;
using System.Net.Http.Headers;
using System.Text;

namespace CodeDoc.Publishing.Confluence;

/// <summary>
/// Where a configured Confluence lives: the product, the site's base (Cloud's <c>/wiki</c>, or Data Center's context
/// path) and how requests are signed. Holds the credential; never prints it.
/// </summary>
internal sealed class ConfluenceEndpoint
{
    private readonly string _authorizationScheme;
    private readonly string _authorizationParameter;

    private ConfluenceEndpoint(ConfluenceDeployment deployment, Uri siteBase, Uri siteOrigin, string scheme, string parameter, ConfluenceOptions options)
    {
        Deployment = deployment;
        SiteBase = siteBase;
        SiteOrigin = siteOrigin;
        _authorizationScheme = scheme;
        _authorizationParameter = parameter;
        UseApiGateway = deployment == ConfluenceDeployment.Cloud && options.UseApiGateway;
        CloudId = options.CloudId is { Length: > 0 } id ? id : null;
        ApiGatewayAddress = WithTrailingSlash(options.ApiGatewayAddress);
    }

    /// <summary>Gets the product (never <see cref="ConfluenceDeployment.Auto"/>).</summary>
    public ConfluenceDeployment Deployment { get; }

    /// <summary>Gets a value indicating whether the site is Cloud.</summary>
    public bool IsCloud => Deployment == ConfluenceDeployment.Cloud;

    /// <summary>Gets the site's base, ending with '/': <c>https://site.atlassian.net/wiki/</c> or <c>https://host/context/</c>.</summary>
    public Uri SiteBase { get; }

    /// <summary>Gets the site's origin, ending with '/'.</summary>
    public Uri SiteOrigin { get; }

    /// <summary>Gets a value indicating whether API calls go through the Atlassian API gateway.</summary>
    public bool UseApiGateway { get; }

    /// <summary>Gets the configured cloud id, when one is.</summary>
    public string? CloudId { get; }

    /// <summary>Gets the gateway's address, ending with '/'.</summary>
    public Uri ApiGatewayAddress { get; }

    /// <summary>Decides the product from the options.</summary>
    /// <param name="options">The options; <see cref="ConfluenceOptions.BaseAddress"/> must be absolute.</param>
    /// <returns>Cloud or Data Center.</returns>
    public static ConfluenceDeployment ResolveDeployment(ConfluenceOptions options)
    {
        if (options.Deployment != ConfluenceDeployment.Auto)
        {
            return options.Deployment;
        }

        var host = options.BaseAddress!.IdnHost;
        return host.EndsWith(".atlassian.net", StringComparison.OrdinalIgnoreCase) ||
            host.EndsWith(".jira.com", StringComparison.OrdinalIgnoreCase) ||
            string.Equals(host, "api.atlassian.com", StringComparison.OrdinalIgnoreCase)
            ? ConfluenceDeployment.Cloud
            : ConfluenceDeployment.DataCenter;
    }

    /// <summary>Builds the endpoint of validated options.</summary>
    /// <param name="options">The options.</param>
    /// <returns>The endpoint.</returns>
    public static ConfluenceEndpoint From(ConfluenceOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var deployment = ResolveDeployment(options);
        var address = options.BaseAddress!;
        var origin = new Uri(address.GetLeftPart(UriPartial.Authority) + "/");
        var path = address.AbsolutePath.TrimEnd('/');
        if (deployment == ConfluenceDeployment.Cloud)
        {
            if (!path.EndsWith("/wiki", StringComparison.OrdinalIgnoreCase))
            {
                path += "/wiki";
            }

            var basic = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{options.Email}:{options.ApiToken}"));
            return new ConfluenceEndpoint(deployment, new Uri(origin, path + "/"), origin, "Basic", basic, options);
        }

        if (options.ContextPath is { Length: > 0 } context)
        {
            path += "/" + context.Trim('/');
        }

        return new ConfluenceEndpoint(deployment, new Uri(origin, path + "/"), origin, "Bearer", options.PersonalAccessToken!, options);
    }

    /// <summary>Builds the gateway base for a cloud id.</summary>
    /// <param name="cloudId">The cloud id.</param>
    /// <returns>The base, ending with '/'.</returns>
    public Uri GatewayBase(string cloudId) =>
        new(ApiGatewayAddress, $"ex/confluence/{Uri.EscapeDataString(cloudId)}/wiki/");

    /// <summary>Tells whether a request goes to this endpoint's own hosts (the only ones that get the credential).</summary>
    /// <param name="uri">The request address.</param>
    /// <returns>Whether it does.</returns>
    public bool IsOwnHost(Uri uri) =>
        SameAuthority(uri, SiteOrigin) || (UseApiGateway && SameAuthority(uri, ApiGatewayAddress));

    /// <summary>Creates the authorization header.</summary>
    /// <returns>The header value.</returns>
    public AuthenticationHeaderValue CreateAuthorization() => new(_authorizationScheme, _authorizationParameter);

    /// <summary>Builds the address of a page for people.</summary>
    /// <param name="spaceKey">The space key.</param>
    /// <param name="pageId">The page id.</param>
    /// <returns>The address.</returns>
    public string PageLink(string spaceKey, string pageId) => IsCloud
        ? new Uri(SiteBase, string.Create(CultureInfo.InvariantCulture, $"spaces/{Uri.EscapeDataString(spaceKey)}/pages/{pageId}")).AbsoluteUri
        : new Uri(SiteBase, $"pages/viewpage.action?pageId={pageId}").AbsoluteUri;

    /// <inheritdoc />
    public override string ToString() => $"Confluence {Deployment} at {SiteBase}";

    private static bool SameAuthority(Uri a, Uri b) =>
        string.Equals(a.Scheme, b.Scheme, StringComparison.OrdinalIgnoreCase) &&
        string.Equals(a.IdnHost, b.IdnHost, StringComparison.OrdinalIgnoreCase) &&
        a.Port == b.Port;

    private static Uri WithTrailingSlash(Uri uri) => uri.AbsoluteUri.EndsWith('/') ? uri : new Uri(uri.AbsoluteUri + "/");
}
