using System.Text.Json.Serialization;

namespace CodeDoc.Git.Bitbucket.DataCenter;

/// <summary>A page of a Data Center collection: <c>values</c>, <c>isLastPage</c> and <c>nextPageStart</c>.</summary>
/// <typeparam name="T">The item type.</typeparam>
internal sealed class DataCenterPage<T>
{
    public IReadOnlyList<T>? Values { get; init; }

    public bool IsLastPage { get; init; } = true;

    public int? NextPageStart { get; init; }
}

internal sealed class DataCenterApplicationProperties
{
    public string? Version { get; init; }

    public string? DisplayName { get; init; }
}

internal sealed class DataCenterProject
{
    public string? Key { get; init; }

    public string? Name { get; init; }
}

internal sealed class DataCenterLink
{
    public string? Href { get; init; }

    public string? Name { get; init; }
}

internal sealed class DataCenterRepositoryLinks
{
    public IReadOnlyList<DataCenterLink>? Self { get; init; }
}

internal sealed class DataCenterRepository
{
    public string? Slug { get; init; }

    public string? Name { get; init; }

    public string? Description { get; init; }

    public bool? Public { get; init; }

    public DataCenterProject? Project { get; init; }

    public DataCenterRepositoryLinks? Links { get; init; }
}

/// <summary>A branch or tag: <c>id</c> is the full ref, <c>displayId</c> the short name, <c>latestCommit</c> the commit.</summary>
internal sealed class DataCenterRef
{
    public string? Id { get; init; }

    public string? DisplayId { get; init; }

    public string? LatestCommit { get; init; }

    public bool IsDefault { get; init; }
}

internal sealed class DataCenterCommit
{
    public string? Id { get; init; }
}

internal sealed class DataCenterPath
{
    [JsonPropertyName("toString")]
    public string? Full { get; init; }

    public IReadOnlyList<string>? Components { get; init; }

    /// <summary>Gets the path as text, from <c>toString</c> or, failing that, the components.</summary>
    public string? Text => Full ?? (Components is { Count: > 0 } parts ? string.Join('/', parts) : null);
}

/// <summary>One change of <c>compare/changes</c>: <c>type</c> ADD, MODIFY, DELETE, MOVE, COPY or UNKNOWN; <c>srcPath</c> for moves and copies.</summary>
internal sealed class DataCenterChange
{
    public DataCenterPath? Path { get; init; }

    public DataCenterPath? SrcPath { get; init; }

    public string? Type { get; init; }

    public string? NodeType { get; init; }
}
