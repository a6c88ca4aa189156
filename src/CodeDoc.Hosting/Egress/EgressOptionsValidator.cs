using System.Globalization;
using Microsoft.Extensions.Options;

namespace CodeDoc.Hosting.Egress;

/// <summary>Checks <see cref="HostingEgressOptions.AllowedHosts"/> at start, so a typo is an error rather than a silently ignored entry.</summary>
internal sealed class EgressOptionsValidator : IValidateOptions<CodeDocHostingOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, CodeDocHostingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        for (var i = 0; i < options.Egress.AllowedHosts.Count; i++)
        {
            // The entry itself is not quoted: a URL pasted with credentials must not reach a log.
            if (!EgressOrigins.TryParseAllowed(options.Egress.AllowedHosts[i], out _))
            {
                failures.Add(string.Create(
                    CultureInfo.InvariantCulture,
                    $"CodeDoc:Hosting:Egress:AllowedHosts:{i} is not a host name, host:port or absolute http(s) URL without credentials: write e.g. idp.example.com, idp.example.com:8443 or https://idp.example.com/."));
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
