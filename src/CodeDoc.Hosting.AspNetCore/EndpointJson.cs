using System.Text.Json;
using System.Text.Json.Serialization;

namespace CodeDoc.Hosting.AspNetCore;

/// <summary>The endpoints' JSON: web defaults (camelCase, case-insensitive reading), enums as camelCase strings.</summary>
internal static class EndpointJson
{
    /// <summary>Gets the serializer options of every response and request body.</summary>
    public static JsonSerializerOptions Options { get; } = Create();

    private static JsonSerializerOptions Create()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase));
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}
