using Microsoft.Extensions.Logging;

namespace CodeDoc.Hosting.Egress;

/// <summary>The egress rules' log messages. Addresses are logged as origins only (no path, query or user info).</summary>
internal static partial class EgressLog
{
    [LoggerMessage(EventId = 8101, Level = LogLevel.Warning, Message = "CodeDoc refused an outbound request to {Origin}: it is not the address of a configured provider. Add it to CodeDoc:Hosting:Egress:AllowedHosts if the provider really lives there.")]
    public static partial void Refused(ILogger logger, string origin);

    [LoggerMessage(EventId = 8102, Level = LogLevel.Warning, Message = "CodeDoc:Hosting:Egress:Enforce is false: outbound requests of the host may reach any address, not only the configured providers.")]
    public static partial void NotEnforced(ILogger logger);

    [LoggerMessage(EventId = 8103, Level = LogLevel.Warning, Message = "CodeDoc:Hosting:Egress:AllowInsecureHttp is true: providers built from stored configurations may use plain HTTP to remote hosts, so keys, tokens and code may cross the network unencrypted.")]
    public static partial void InsecureHttpAllowed(ILogger logger);

    [LoggerMessage(EventId = 8104, Level = LogLevel.Warning, Message = "Provider configuration {ConfigurationId} uses plain HTTP to the remote host {Origin}: keys, tokens and code cross the network unencrypted.")]
    public static partial void InsecureEndpoint(ILogger logger, string configurationId, string origin);

    [LoggerMessage(EventId = 8105, Level = LogLevel.Warning, Message = "The endpoint of {Category} provider {Name} could not be read for the egress allowlist ({Reason}); requests it sends will be refused unless its address is in CodeDoc:Hosting:Egress:AllowedHosts.")]
    public static partial void EndpointUnknown(ILogger logger, string category, string name, string reason);
}
