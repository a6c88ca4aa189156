using System.Text.Json;
using System.Text.Json.Serialization;

// The wire types mirror Confluence's JSON; they are created by the serializer and read by the site classes.
#pragma warning disable CA1812 // Instantiated by System.Text.Json.

namespace CodeDoc.Publishing.Confluence;

/// <summary>A v2 page of results with its cursor link.</summary>
/// <typeparam name="T">The item type.</typeparam>
internal sealed class V2Results<T>
{
    public List<T> Results { get; set; } = [];

    [JsonPropertyName("_links")]
    public V2Links? Links { get; set; }
}

internal sealed class V2Links
{
    public string? Next { get; set; }

    public string? Base { get; set; }
}

internal sealed class V2Space
{
    public string Id { get; set; } = string.Empty;

    public string Key { get; set; } = string.Empty;

    public string? HomepageId { get; set; }
}

internal sealed class V2Operations
{
    public List<V2Operation> Operations { get; set; } = [];
}

internal sealed class V2Operation
{
    public string? Operation { get; set; }

    public string? TargetType { get; set; }
}

internal sealed class V2Page
{
    public string Id { get; set; } = string.Empty;

    public string? Status { get; set; }

    public string Title { get; set; } = string.Empty;

    public string? ParentId { get; set; }

    public V2Version? Version { get; set; }

    public V2Body? Body { get; set; }
}

internal sealed class V2Version
{
    public int Number { get; set; }

    public string? Message { get; set; }
}

internal sealed class V2Body
{
    public V2BodyValue? Storage { get; set; }
}

internal sealed class V2BodyValue
{
    public string Representation { get; set; } = "storage";

    public string Value { get; set; } = string.Empty;
}

internal sealed class V2PageCreate
{
    public required string SpaceId { get; set; }

    public string Status { get; set; } = "current";

    public required string Title { get; set; }

    public required string ParentId { get; set; }

    public required V2BodyValue Body { get; set; }
}

internal sealed class V2PageUpdate
{
    public required string Id { get; set; }

    public string Status { get; set; } = "current";

    public required string Title { get; set; }

    public string? ParentId { get; set; }

    public required V2BodyValue Body { get; set; }

    public required V2VersionWrite Version { get; set; }
}

internal sealed class V2VersionWrite
{
    public int Number { get; set; }

    public string? Message { get; set; }
}

internal sealed class V2Property
{
    public string Id { get; set; } = string.Empty;

    public string Key { get; set; } = string.Empty;

    public JsonElement Value { get; set; }

    public V2Version? Version { get; set; }
}

internal sealed class V2PropertyWrite
{
    public required string Key { get; set; }

    public required JsonElement Value { get; set; }

    public V2VersionWrite? Version { get; set; }
}

internal sealed class V2Attachment
{
    public string Id { get; set; } = string.Empty;

    public string Title { get; set; } = string.Empty;

    public string? Comment { get; set; }
}

internal sealed class V1Results<T>
{
    public List<T> Results { get; set; } = [];

    public int Start { get; set; }

    public int Limit { get; set; }

    public int Size { get; set; }
}

internal sealed class V1User
{
    public string? Type { get; set; }
}

internal sealed class V1Space
{
    public long Id { get; set; }

    public string Key { get; set; } = string.Empty;

    public V1Content? Homepage { get; set; }

    public List<V2Operation>? Operations { get; set; }
}

internal sealed class V1Content
{
    public string Id { get; set; } = string.Empty;

    public string? Type { get; set; }

    public string? Status { get; set; }

    public string Title { get; set; } = string.Empty;

    public V1Version? Version { get; set; }

    public List<V1Content>? Ancestors { get; set; }

    public V1Body? Body { get; set; }

    public V1Metadata? Metadata { get; set; }
}

internal sealed class V1Version
{
    public int Number { get; set; }

    public string? Message { get; set; }

    public bool? MinorEdit { get; set; }
}

internal sealed class V1Body
{
    public V2BodyValue? Storage { get; set; }
}

internal sealed class V1Metadata
{
    public string? Comment { get; set; }
}

internal sealed class V1ContentWrite
{
    public string? Id { get; set; }

    public string Type { get; set; } = "page";

    public string? Status { get; set; }

    public required string Title { get; set; }

    public required V1SpaceRef Space { get; set; }

    public List<V1IdRef>? Ancestors { get; set; }

    public V1Body? Body { get; set; }

    public V1Version? Version { get; set; }
}

internal sealed class V1SpaceRef
{
    public required string Key { get; set; }
}

internal sealed class V1IdRef
{
    public required string Id { get; set; }
}

internal sealed class V1Property
{
    public string? Id { get; set; }

    public string Key { get; set; } = string.Empty;

    public JsonElement Value { get; set; }

    public V1Version? Version { get; set; }
}

internal sealed class V1PropertyWrite
{
    public required string Key { get; set; }

    public required JsonElement Value { get; set; }

    public V1Version? Version { get; set; }
}

internal sealed class V1Label
{
    public string Prefix { get; set; } = "global";

    public required string Name { get; set; }
}
