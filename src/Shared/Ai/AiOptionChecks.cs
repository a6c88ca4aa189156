using CodeDoc.Core;

namespace CodeDoc.Ai;

/// <summary>The option checks every AI provider shares; each message names the field, the value and the fix.</summary>
internal static class AiOptionChecks
{
    /// <summary>The largest output limit accepted (no model writes more in one answer).</summary>
    public const int MaxOutputTokensCeiling = 1_000_000;

    /// <summary>Checks the options every vendor has.</summary>
    /// <param name="path">The options' configuration path (empty for bare keys).</param>
    /// <param name="model">The model.</param>
    /// <param name="maxOutputTokens">The output limit.</param>
    /// <param name="contextWindowTokens">The configured context window.</param>
    /// <param name="temperature">The temperature.</param>
    /// <param name="requestsPerMinute">The request limit.</param>
    /// <param name="tokensPerMinute">The token limit.</param>
    /// <param name="http">The HTTP options.</param>
    /// <returns>One message per problem.</returns>
    public static IEnumerable<string> Common(
        string path, string? model, int maxOutputTokens, int? contextWindowTokens, float? temperature, int? requestsPerMinute, int? tokensPerMinute, CodeDocHttpOptions http)
    {
        ArgumentNullException.ThrowIfNull(http);
        if (string.IsNullOrWhiteSpace(model))
        {
            yield return $"{F(path, "Model")} is required: set it to the model id the vendor documents (for Azure OpenAI, the deployment's model).";
        }

        if (maxOutputTokens is < 1 or > MaxOutputTokensCeiling)
        {
            yield return $"{F(path, "MaxOutputTokens")} is {maxOutputTokens}: set it between 1 and {MaxOutputTokensCeiling} (pages need several thousand).";
        }

        if (contextWindowTokens is { } window)
        {
            if (window < 1)
            {
                yield return $"{F(path, "ContextWindowTokens")} is {window}: set it to the model's context window in tokens, or remove it.";
            }
            else if (maxOutputTokens >= window)
            {
                yield return $"{F(path, "MaxOutputTokens")} ({maxOutputTokens}) must be smaller than {F(path, "ContextWindowTokens")} ({window}), or no room is left for the prompt.";
            }
        }

        if (temperature is { } t && (float.IsNaN(t) || t < 0 || t > 2))
        {
            yield return $"{F(path, "Temperature")} is {t}: set it between 0 and 2, or remove it to use the model's default.";
        }

        if (requestsPerMinute is < 1)
        {
            yield return $"{F(path, "RequestsPerMinute")} is {requestsPerMinute}: set a positive limit, or remove it for no limit.";
        }

        if (tokensPerMinute is < 1)
        {
            yield return $"{F(path, "TokensPerMinute")} is {tokensPerMinute}: set a positive limit, or remove it for no limit.";
        }

        foreach (var problem in http.Validate(F(path, "Http")))
        {
            yield return problem;
        }
    }

    /// <summary>Checks that a key is configured.</summary>
    /// <param name="path">The options' configuration path.</param>
    /// <param name="apiKey">The key.</param>
    /// <param name="hasProvider">Whether a key delegate is set.</param>
    /// <param name="where">Where users get a key, e.g. "platform.openai.com".</param>
    /// <returns>The problem, or <see langword="null"/>.</returns>
    public static string? Key(string path, string? apiKey, bool hasProvider, string where) =>
        string.IsNullOrWhiteSpace(apiKey) && !hasProvider
            ? $"{F(path, "ApiKey")} is required: set it to a key from {where} (from a secret store or an environment variable, never a committed file), or set ApiKeyProvider in code."
            : null;

    /// <summary>Checks an endpoint: absolute, HTTPS (HTTP only for loopback unless the options opt in), no credentials in the URL.</summary>
    /// <param name="path">The options' configuration path.</param>
    /// <param name="endpoint">The endpoint.</param>
    /// <param name="required">Whether it must be set.</param>
    /// <param name="http">The options' HTTP options, whose <see cref="CodeDocHttpOptions.AllowInsecureHttp"/> accepts http:// to a remote host.</param>
    /// <returns>The problem, or <see langword="null"/>.</returns>
    public static string? Endpoint(string path, Uri? endpoint, bool required, CodeDocHttpOptions http)
    {
        ArgumentNullException.ThrowIfNull(http);
        return EndpointRules.Validate(endpoint, F(path, "Endpoint"), required, http.AllowInsecureHttp);
    }

    private static string F(string path, string field) => AiProviderRegistration.Field(path, field);
}
