using Azure.Core;
using CodeDoc.Core;

namespace CodeDoc.Git.AzureDevOps;

/// <summary>
/// Options of an Azure DevOps provider (kind <c>azure-devops</c>): Azure DevOps Services (<c>https://dev.azure.com/</c>)
/// or an Azure DevOps Server, with a personal access token or a Microsoft Entra service principal. Bound from a
/// configuration section such as <c>CodeDoc:Git:work</c>.
/// </summary>
public sealed class AzureDevOpsOptions
{
    /// <summary>Gets the address of Azure DevOps Services.</summary>
    public static Uri ServicesAddress { get; } = new("https://dev.azure.com/");

    /// <summary>
    /// Gets or sets the address the organization (Services) or project collection (Server) names follow in
    /// repository URLs: <c>https://dev.azure.com/</c> (the default) for Services, or the server's address with its
    /// virtual directory for Server, e.g. <c>https://tfs.example.com/tfs/</c> (repository URLs are then
    /// <c>https://tfs.example.com/tfs/{collection}/{project}/_git/{repository}</c>).
    /// </summary>
    public Uri? BaseAddress { get; set; }

    /// <summary>
    /// Gets or sets the REST API version sent with every request: <c>7.1</c> (the default) for Services; Server 2022
    /// supports up to <c>7.0</c>, Server 2020 up to <c>6.0</c>, Server 2019 up to <c>5.0</c>.
    /// </summary>
    public string ApiVersion { get; set; } = "7.1";

    /// <summary>
    /// Gets or sets a personal access token with scope Code (Read). Sent as Basic with an empty user name. A secret:
    /// never logged. Leave empty to use a service principal (<see cref="TenantId"/>, <see cref="ClientId"/>,
    /// <see cref="ClientSecret"/>) or <see cref="Credential"/>.
    /// </summary>
    public string? Token { get; set; }

    /// <summary>Gets or sets the Microsoft Entra tenant (directory) id of a service principal.</summary>
    public string? TenantId { get; set; }

    /// <summary>Gets or sets the application (client) id of a service principal that was added to the organization as a user.</summary>
    public string? ClientId { get; set; }

    /// <summary>Gets or sets the client secret of the service principal. A secret: never logged.</summary>
    public string? ClientSecret { get; set; }

    /// <summary>
    /// Gets or sets a Microsoft Entra credential set in code (a managed identity, workload identity or any
    /// <see cref="TokenCredential"/>); tokens for Azure DevOps are requested from it and sent as Bearer tokens.
    /// Not bound from configuration.
    /// </summary>
    public TokenCredential? Credential { get; set; }

    /// <summary>Gets the HTTP options: proxy, extra trusted CA certificates (Server), timeouts, retries.</summary>
    public CodeDocHttpOptions Http { get; } = new();

    /// <summary>Describes the options without secrets.</summary>
    /// <returns>The description.</returns>
    public override string ToString()
    {
        var authentication = !string.IsNullOrEmpty(Token) ? "personal access token set"
            : Credential is not null ? "Entra credential set in code"
            : !string.IsNullOrEmpty(ClientId) ? $"service principal {ClientId}"
            : "no credentials";
        return $"Azure DevOps at {EndpointRules.SafeDisplay(BaseAddress ?? ServicesAddress)}, api-version {ApiVersion}, {authentication}";
    }
}
