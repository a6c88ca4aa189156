using System.Text.Json.Serialization;

namespace CodeDoc.Git.Bitbucket.Cloud;

/// <summary>A page of a Bitbucket Cloud collection: <c>values</c> and the <c>next</c> page's full URL.</summary>
/// <typeparam name="T">The item type.</typeparam>
internal sealed class CloudPage<T>
{
    [JsonPropertyName("values")]
    public IReadOnlyList<T>? Values { get; init; }

    [JsonPropertyName("next")]
    public string? Next { get; init; }
}

internal sealed class CloudLink
{
    [JsonPropertyName("href")]
    public string? Href { get; init; }
}

internal sealed class CloudRepositoryLinks
{
    [JsonPropertyName("html")]
    public CloudLink? Html { get; init; }
}

internal sealed class CloudBranchName
{
    [JsonPropertyName("name")]
    public string? Name { get; init; }
}

internal sealed class CloudRepository
{
    [JsonPropertyName("name")]
    public string? Name { get; init; }

    [JsonPropertyName("full_name")]
    public string? FullName { get; init; }

    [JsonPropertyName("uuid")]
    public string? Uuid { get; init; }

    [JsonPropertyName("is_private")]
    public bool? IsPrivate { get; init; }

    [JsonPropertyName("description")]
    public string? Description { get; init; }

    [JsonPropertyName("mainbranch")]
    public CloudBranchName? MainBranch { get; init; }

    [JsonPropertyName("links")]
    public CloudRepositoryLinks? Links { get; init; }
}

internal sealed class CloudCommit
{
    [JsonPropertyName("hash")]
    public string? Hash { get; init; }
}

/// <summary>A branch or tag; <c>target</c> is the commit it points at (for annotated tags too).</summary>
internal sealed class CloudRef
{
    [JsonPropertyName("name")]
    public string? Name { get; init; }

    [JsonPropertyName("target")]
    public CloudCommit? Target { get; init; }
}

internal sealed class CloudUser
{
    [JsonPropertyName("display_name")]
    public string? DisplayName { get; init; }

    [JsonPropertyName("account_id")]
    public string? AccountId { get; init; }
}

/// <summary>One entry of a <c>/src</c> directory listing: <c>commit_file</c> or <c>commit_directory</c>.</summary>
internal sealed class CloudTreeItem
{
    [JsonPropertyName("type")]
    public string? Type { get; init; }

    [JsonPropertyName("path")]
    public string? Path { get; init; }

    [JsonPropertyName("size")]
    public long? Size { get; init; }

    /// <summary>Gets the attributes: <c>link</c>, <c>executable</c>, <c>subrepository</c>, <c>binary</c>, <c>lfs</c>.</summary>
    [JsonPropertyName("attributes")]
    public IReadOnlyList<string>? Attributes { get; init; }
}

internal sealed class CloudPath
{
    [JsonPropertyName("path")]
    public string? Path { get; init; }
}

/// <summary>One changed path of a diffstat: <c>added</c>, <c>removed</c>, <c>modified</c>, <c>renamed</c> (and conflict states).</summary>
internal sealed class CloudDiffStat
{
    [JsonPropertyName("status")]
    public string? Status { get; init; }

    [JsonPropertyName("old")]
    public CloudPath? Old { get; init; }

    [JsonPropertyName("new")]
    public CloudPath? New { get; init; }
}
