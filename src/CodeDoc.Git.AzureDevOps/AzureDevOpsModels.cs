using System.Text.Json.Serialization;

namespace CodeDoc.Git.AzureDevOps;

/// <summary>A list response: <c>{"count": n, "value": [...]}</c>.</summary>
/// <typeparam name="T">The item type.</typeparam>
internal sealed class AzureList<T>
{
    public IReadOnlyList<T>? Value { get; init; }
}

internal sealed class AzureProject
{
    public string? Name { get; init; }
}

internal sealed class AzureRepository
{
    public string? Id { get; init; }

    public string? Name { get; init; }

    public string? DefaultBranch { get; init; }

    public string? WebUrl { get; init; }

    public string? RemoteUrl { get; init; }

    public bool? IsDisabled { get; init; }

    public AzureProject? Project { get; init; }
}

/// <summary>A ref; <c>peeledObjectId</c> is the commit of an annotated tag (with <c>peelTags=true</c>).</summary>
internal sealed class AzureRef
{
    public string? Name { get; init; }

    public string? ObjectId { get; init; }

    public string? PeeledObjectId { get; init; }
}

internal sealed class AzureCommit
{
    public string? CommitId { get; init; }
}

internal sealed class AzureItem
{
    public string? Path { get; init; }

    public string? GitObjectType { get; init; }

    public bool? IsFolder { get; init; }
}

internal sealed class AzureChange
{
    public AzureItem? Item { get; init; }

    /// <summary>Gets the change type: flags as text, e.g. <c>add</c>, <c>edit</c>, <c>delete</c>, <c>rename</c>, <c>edit, rename</c>.</summary>
    public string? ChangeType { get; init; }

    public string? OriginalPath { get; init; }

    public string? SourceServerItem { get; init; }
}

/// <summary>The answer of <c>diffs/commits</c>.</summary>
internal sealed class AzureCommitDiffs
{
    public IReadOnlyList<AzureChange>? Changes { get; init; }

    public bool? AllChangesIncluded { get; init; }

    public string? CommonCommit { get; init; }

    public string? BaseCommit { get; init; }

    public string? TargetCommit { get; init; }

    public int? BehindCount { get; init; }

    [JsonPropertyName("changeCounts")]
    public IReadOnlyDictionary<string, int>? ChangeCounts { get; init; }
}

internal sealed class AzureIdentity
{
    public string? ProviderDisplayName { get; init; }
}

internal sealed class AzureConnectionData
{
    public AzureIdentity? AuthenticatedUser { get; init; }
}
