using CodeDoc.Core;
using Microsoft.Extensions.Options;

namespace CodeDoc.Git.Bitbucket;

/// <summary>Validates the options of one named Bitbucket registration; messages name the configuration field, the value and the fix.</summary>
/// <param name="registrationName">The options name this validator checks.</param>
/// <param name="configurationPath">The configuration path of the options, e.g. <c>CodeDoc:Git:work</c>.</param>
internal sealed class BitbucketOptionsValidator(string registrationName, string configurationPath) : IValidateOptions<BitbucketOptions>
{
    /// <summary>Gets the options name this validator checks.</summary>
    public string Name => registrationName;

    public ValidateOptionsResult Validate(string? name, BitbucketOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!string.Equals(name, registrationName, StringComparison.Ordinal))
        {
            return ValidateOptionsResult.Skip;
        }

        var failures = Check(options, configurationPath).ToList();
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    /// <summary>Lists what is wrong with the options.</summary>
    /// <param name="options">The options.</param>
    /// <param name="configurationPath">The configuration path field names start with; empty for bare keys.</param>
    /// <returns>One message per problem.</returns>
    internal static IEnumerable<string> Check(BitbucketOptions options, string configurationPath)
    {
        string Field(string field) => configurationPath.Length == 0 ? field : $"{configurationPath}:{field}";

        if (EndpointRules.Validate(options.BaseAddress, Field(nameof(BitbucketOptions.BaseAddress)), required: false, options.Http.AllowInsecureHttp) is { } baseProblem)
        {
            yield return baseProblem;
            yield break;
        }

        if (EndpointRules.Validate(options.ApiAddress, Field(nameof(BitbucketOptions.ApiAddress)), required: false, options.Http.AllowInsecureHttp) is { } apiProblem)
        {
            yield return apiProblem;
            yield break;
        }

        if (!Enum.IsDefined(options.Deployment))
        {
            yield return $"{Field(nameof(BitbucketOptions.Deployment))} is '{options.Deployment}': use Auto, Cloud or DataCenter.";
            yield break;
        }

        if (options.BaseAddress is { } web && string.Equals(web.IdnHost, "api.bitbucket.org", StringComparison.OrdinalIgnoreCase))
        {
            yield return $"{Field(nameof(BitbucketOptions.BaseAddress))} is '{EndpointRules.SafeDisplay(web)}', Bitbucket Cloud's API: set it to the web address https://bitbucket.org/ (or leave it empty).";
        }

        var cloud = BitbucketEndpoints.IsCloudDeployment(options);
        if (cloud)
        {
            if (options.ApiAddress is null && options.BaseAddress is { } stand && !BitbucketEndpoints.IsBitbucketOrg(stand))
            {
                yield return $"{Field(nameof(BitbucketOptions.ApiAddress))} is required because {Field(nameof(BitbucketOptions.Deployment))} is Cloud and {Field(nameof(BitbucketOptions.BaseAddress))} '{EndpointRules.SafeDisplay(stand)}' is not https://bitbucket.org/: give the address of its REST API 2.0.";
            }

            if (!string.IsNullOrEmpty(options.Username))
            {
                yield return $"{Field(nameof(BitbucketOptions.Username))} applies to Bitbucket Data Center only: for a Bitbucket Cloud API token set {Field(nameof(BitbucketOptions.Email))} to the Atlassian account's e-mail address instead (app passwords and user names no longer work).";
            }
        }
        else
        {
            if (options.BaseAddress is null)
            {
                yield return $"{Field(nameof(BitbucketOptions.BaseAddress))} is required for Bitbucket Data Center: set it to the server's address with its context path, e.g. https://git.example.com/bitbucket/.";
            }

            if (options.ApiAddress is not null)
            {
                yield return $"{Field(nameof(BitbucketOptions.ApiAddress))} applies to Bitbucket Cloud only: Data Center's REST API is found below {Field(nameof(BitbucketOptions.BaseAddress))}; remove it.";
            }

            if (!string.IsNullOrEmpty(options.Email))
            {
                yield return $"{Field(nameof(BitbucketOptions.Email))} applies to Bitbucket Cloud API tokens only: for Data Center set {Field(nameof(BitbucketOptions.Token))} to an HTTP access token (and {Field(nameof(BitbucketOptions.Username))} only if the server needs Basic authentication).";
            }
        }

        if (options.Token is { } token && (token.Length == 0 || token.Trim().Length != token.Length || token.Any(char.IsControl)))
        {
            yield return $"{Field(nameof(BitbucketOptions.Token))} is empty or has white space or control characters around or in it: paste the token exactly as Bitbucket showed it.";
        }

        if (string.IsNullOrEmpty(options.Token) && (!string.IsNullOrEmpty(options.Email) || !string.IsNullOrEmpty(options.Username)))
        {
            var field = string.IsNullOrEmpty(options.Email) ? nameof(BitbucketOptions.Username) : nameof(BitbucketOptions.Email);
            yield return $"{Field(field)} is set but {Field(nameof(BitbucketOptions.Token))} is not: set the token too, or remove {Field(field)} to read public repositories anonymously.";
        }

        if (options.Email is { Length: > 0 } email && (!email.Contains('@', StringComparison.Ordinal) || email.Contains(':', StringComparison.Ordinal)))
        {
            yield return $"{Field(nameof(BitbucketOptions.Email))} is '{email}', which is not an e-mail address: give the Atlassian account's e-mail address the API token belongs to.";
        }

        if (options.Username is { Length: > 0 } user && user.Contains(':', StringComparison.Ordinal))
        {
            yield return $"{Field(nameof(BitbucketOptions.Username))} contains ':', which Basic authentication cannot carry: give the user name only.";
        }

        if (options.HourlyRequestLimit is < 1 or > 100_000)
        {
            yield return $"{Field(nameof(BitbucketOptions.HourlyRequestLimit))} is {options.HourlyRequestLimit}: give the workspace's hourly allowance, between 1 and 100000 (Bitbucket Cloud's default is 1000).";
        }

        foreach (var problem in options.Http.Validate(Field(nameof(BitbucketOptions.Http))))
        {
            yield return problem;
        }
    }
}
