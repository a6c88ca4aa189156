using System.Text.RegularExpressions;
using CodeDoc.Core;
using Microsoft.Extensions.Options;

namespace CodeDoc.Publishing.Confluence;

/// <summary>
/// Validates the options of one named Confluence publisher. Messages name the configuration key (e.g.
/// <c>CodeDoc:Confluence:SpaceKey</c>), the value (never a secret's) and the fix.
/// </summary>
/// <param name="name">The options name (the publisher's registration name) this validator checks.</param>
/// <param name="configurationPath">The configuration path of the options; empty for run-time settings.</param>
internal sealed partial class ConfluenceOptionsValidator(string name, string configurationPath) : IValidateOptions<ConfluenceOptions>
{
    /// <summary>Gets the options name this validator checks.</summary>
    public string Name { get; } = name;

    public ValidateOptionsResult Validate(string? name, ConfluenceOptions options)
    {
        if (!string.Equals(name ?? Options.DefaultName, Name, StringComparison.Ordinal))
        {
            return ValidateOptionsResult.Skip;
        }

        ArgumentNullException.ThrowIfNull(options);
        var failures = Check(options).ToList();
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    /// <summary>Lists the problems of a set of options; empty when they are valid.</summary>
    /// <param name="options">The options.</param>
    /// <returns>One message per problem.</returns>
    public IEnumerable<string> Check(ConfluenceOptions options)
    {
        if (EndpointRules.Validate(options.BaseAddress, Field("BaseAddress"), required: true, options.Http.AllowInsecureHttp) is { } endpointProblem)
        {
            yield return endpointProblem + " For Cloud it is https://your-site.atlassian.net; for Data Center the server's address.";
        }

        if (!Enum.IsDefined(options.Deployment))
        {
            yield return $"{Field("Deployment")} is '{options.Deployment}': use Auto, Cloud or DataCenter.";
        }

        var deployment = options.BaseAddress is { IsAbsoluteUri: true } ? ConfluenceEndpoint.ResolveDeployment(options) : options.Deployment;
        if (deployment == ConfluenceDeployment.Cloud)
        {
            if (string.IsNullOrWhiteSpace(options.Email))
            {
                yield return $"{Field("Email")} is not set: Confluence Cloud signs in with the email address of an Atlassian account and an API token " +
                    "(create one at https://id.atlassian.com/manage-profile/security/api-tokens).";
            }

            if (string.IsNullOrWhiteSpace(options.ApiToken))
            {
                yield return $"{Field("ApiToken")} is not set: create an API token at https://id.atlassian.com/manage-profile/security/api-tokens " +
                    "and set it (from a secret store or an environment variable, not a committed file).";
            }

            if (!string.IsNullOrEmpty(options.ContextPath) && options.ContextPath != "/wiki")
            {
                yield return $"{Field("ContextPath")} is '{options.ContextPath}', but Confluence Cloud always lives at /wiki: remove the setting.";
            }
        }
        else if (deployment == ConfluenceDeployment.DataCenter)
        {
            if (string.IsNullOrWhiteSpace(options.PersonalAccessToken))
            {
                yield return $"{Field("PersonalAccessToken")} is not set: Confluence Data Center signs in with a personal access token " +
                    "(profile > Settings > Personal Access Tokens, Confluence 7.9 or later). " +
                    $"If this is a Cloud site, set {Field("Deployment")} to Cloud and use Email and ApiToken.";
            }

            if (options.UseApiGateway)
            {
                yield return $"{Field("UseApiGateway")} is true, but the Atlassian API gateway serves Confluence Cloud only: turn it off, or set {Field("Deployment")} to Cloud.";
            }

            if (options.ContextPath is { Length: > 0 } context && !ContextPathPattern().IsMatch(context))
            {
                yield return $"{Field("ContextPath")} is '{context}': write it as a path starting with '/', such as /confluence, without query or spaces.";
            }
        }

        if (options.UseApiGateway)
        {
            if (EndpointRules.Validate(options.ApiGatewayAddress, Field("ApiGatewayAddress"), required: true, options.Http.AllowInsecureHttp) is { } gatewayProblem)
            {
                yield return gatewayProblem;
            }

            if (options.CloudId is { Length: > 0 } cloudId && !CloudIdPattern().IsMatch(cloudId))
            {
                yield return $"{Field("CloudId")} is '{cloudId}', which is not a cloud id (letters, digits and '-'): remove it to have it read from the site.";
            }
        }

        if (string.IsNullOrWhiteSpace(options.SpaceKey))
        {
            yield return $"{Field("SpaceKey")} is not set: give the key of the space to publish into, e.g. DOC (it is in the space's address, /spaces/DOC/).";
        }
        else if (!SpaceKeyPattern().IsMatch(options.SpaceKey))
        {
            yield return $"{Field("SpaceKey")} is '{options.SpaceKey}', which is not a space key: use the key from the space's address (letters and digits, or ~name for a personal space).";
        }

        if (options.ParentPageId is { Length: > 0 } parent && !PageIdPattern().IsMatch(parent))
        {
            yield return $"{Field("ParentPageId")} is '{parent}', which is not a page id: use the number in the page's address (/pages/123456/...), or remove it to publish under the space's home page.";
        }

        if (!Enum.IsDefined(options.RemovedPages))
        {
            yield return $"{Field("RemovedPages")} is '{options.RemovedPages}': use Archive or Delete.";
        }

        if (!Enum.IsDefined(options.EditedPages))
        {
            yield return $"{Field("EditedPages")} is '{options.EditedPages}': use Skip, ProposeChildPage or Overwrite.";
        }

        if (options.TableOfContentsMinHeadings is < 0 or > 100)
        {
            yield return $"{Field("TableOfContentsMinHeadings")} is {options.TableOfContentsMinHeadings}: use 0 (no table of contents) to 100.";
        }

        if (options.MermaidMacroName is { Length: > 0 } macro && !MacroNamePattern().IsMatch(macro))
        {
            yield return $"{Field("MermaidMacroName")} is '{macro}', which is not a macro name: use the name the macro has in storage format, e.g. mermaid-cloud.";
        }

        if (options.MermaidRenderer is { } renderer && renderer.MediaType is not ("image/png" or "image/svg+xml"))
        {
            yield return $"{Field("MermaidRenderer")} renders '{renderer.MediaType}': Confluence shows image/png and image/svg+xml attachments.";
        }

        foreach (var problem in options.Http.Validate(Field("Http")))
        {
            yield return problem;
        }
    }

    private string Field(string property) => configurationPath.Length == 0 ? property : $"{configurationPath}:{property}";

    [GeneratedRegex("^~?[A-Za-z0-9_-]{1,255}$", RegexOptions.CultureInvariant)]
    private static partial Regex SpaceKeyPattern();

    [GeneratedRegex("^[0-9]{1,19}$", RegexOptions.CultureInvariant)]
    private static partial Regex PageIdPattern();

    [GeneratedRegex("^[A-Za-z0-9-]{1,100}$", RegexOptions.CultureInvariant)]
    private static partial Regex CloudIdPattern();

    [GeneratedRegex("^(/[A-Za-z0-9._~-]+)+/?$", RegexOptions.CultureInvariant)]
    private static partial Regex ContextPathPattern();

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9_:-]{0,99}$", RegexOptions.CultureInvariant)]
    private static partial Regex MacroNamePattern();
}
