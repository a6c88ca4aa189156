using System.Globalization;
using CodeDoc.Core;

namespace CodeDoc.Pipeline;

/// <summary>Describes, for a plan, which hosts would receive which data during a run.</summary>
internal static class DataFlows
{
    public static IReadOnlyList<DataFlow> Describe(IGitProvider git, IAiProvider? ai, IDocPublisher publisher, RepositorySnapshot snapshot)
    {
        var flows = new List<DataFlow>();
        var gitEndpoint = git.Metadata.Endpoint;
        flows.Add(gitEndpoint is null
            ? new DataFlow($"Source ({git.Metadata.DisplayName})", "this machine", "files are read from disk, in memory only; nothing is sent anywhere", LeavesMachine: false)
            : new DataFlow($"Git host ({git.Metadata.DisplayName})", gitEndpoint.Host, $"API requests with your token; it sends the archive of commit {Short(snapshot.CommitSha)} back, held in memory only", LeavesMachine: !EndpointRules.IsLoopback(gitEndpoint)));

        var included = string.Create(CultureInfo.InvariantCulture, $"the redacted text of up to {snapshot.Files.Count:N0} included files (~{snapshot.TotalTokens:N0} tokens), in prompts");
        if (ai is null)
        {
            flows.Add(new DataFlow("Model vendor", "none configured", "nothing: no model is configured, so no code would leave this machine", LeavesMachine: false));
        }
        else if (ai.Metadata.Endpoint is { } endpoint)
        {
            flows.Add(new DataFlow($"Model vendor {ai.Metadata.Vendor} ({ai.Metadata.ModelId})", endpoint.Host, included, LeavesMachine: !EndpointRules.IsLoopback(endpoint)));
        }
        else
        {
            flows.Add(new DataFlow($"Model vendor {ai.Metadata.Vendor} ({ai.Metadata.ModelId})", "vendor default endpoint", included, LeavesMachine: true));
        }

        var target = publisher.Metadata.Endpoint;
        flows.Add(target is null || target.IsFile
            ? new DataFlow($"Publisher ({publisher.Metadata.DisplayName})", target?.LocalPath ?? "this machine", "the generated pages and a publish manifest (hashes, no source code)", LeavesMachine: false)
            : new DataFlow($"Publisher ({publisher.Metadata.DisplayName})", target.Host, "the generated pages, labels and a publish manifest (hashes, no source code)", LeavesMachine: !EndpointRules.IsLoopback(target)));

        flows.Add(new DataFlow("CodeDoc itself", "this machine", "no source code, prompts or model output is stored; only counts appear in reports", LeavesMachine: false));
        return flows;
    }

    private static string Short(string sha) => sha.Length > 12 ? sha[..12] : sha;
}
