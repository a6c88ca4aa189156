using CodeDoc.Core;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Refit;

namespace CodeDoc.Ai.Gemini;

/// <summary>The Gemini kind as a spec for the shared registration, and how it becomes a provider.</summary>
internal static class GeminiProviders
{
    /// <summary>The kind of Gemini providers.</summary>
    public const string Kind = "gemini";

    // The price data and the account limiters know the vendor as Google.
    private const string Vendor = "google";

    private static readonly string[] ThinkingLevels = ["minimal", "low", "medium", "high"];

    public static AiProviderSpec<GeminiOptions> Spec { get; } = new()
    {
        Kind = Kind,
        DisplayName = "Gemini",
        KeyHeader = _ => AiKeyHeader.GoogleApiKey,
        Http = o => o.Http,
        ApiKey = o => o.ApiKey,
        ApiKeyProvider = o => o.ApiKeyProvider,
        Endpoint = o => o.Endpoint,
        Validate = (o, path) => AiOptionChecks.Common(path, o.Model, o.MaxOutputTokens, o.ContextWindowTokens, o.Temperature, o.RequestsPerMinute, o.TokensPerMinute, o.Http)
            .Concat(new[]
            {
                AiOptionChecks.Endpoint(path, o.Endpoint, required: true, o.Http),
                AiOptionChecks.Key(path, o.ApiKey, o.ApiKeyProvider is not null, "aistudio.google.com (Get API key)"),
                o.Model is { } model && model.StartsWith("models/", StringComparison.Ordinal)
                    ? $"{AiProviderRegistration.Field(path, "Model")} is '{model}': give the model id without 'models/', e.g. {model["models/".Length..]}."
                    : null,
                o.Endpoint is { Query.Length: > 0 }
                    ? $"{AiProviderRegistration.Field(path, "Endpoint")} has a query string: give the base address only (e.g. https://generativelanguage.googleapis.com/v1beta/); the key belongs in ApiKey, never in the URL."
                    : null,
                o.ThinkingLevel is { } level && !ThinkingLevels.Contains(level, StringComparer.Ordinal)
                    ? $"{AiProviderRegistration.Field(path, "ThinkingLevel")} is '{level}': use minimal, low, medium or high (the levels the model supports), or remove it for the model's default."
                    : null,
            }.OfType<string>()),
        Create = Create,
    };

    private static CodeDocAiProvider Create(AiInstance<GeminiOptions> instance)
    {
        var o = instance.Options;
        var model = o.Model!;
        var endpoint = o.Endpoint!.AbsoluteUri.EndsWith('/') ? o.Endpoint : new Uri(o.Endpoint.AbsoluteUri + "/");
        var context = new AiErrorContext(instance.Name, "Gemini", model, instance.ConfigurationPath, endpoint, instance.Credential);
        var httpClient = instance.HttpClient;
        httpClient.BaseAddress = endpoint;
        var api = RestService.For<IGeminiApi>(httpClient, new RefitSettings(new SystemTextJsonContentSerializer(GeminiJson.Options)));
        var adapter = new GeminiAdapter();
        var limiter = instance.RateLimiters.Get(Vendor, instance.Credential.AccountId, o.RequestsPerMinute, o.TokensPerMinute);
        var chat = new ChatClientBuilder(new CodeDocChatClient(
                new GeminiChatClient(api, endpoint, model, o.ThinkingLevel),
                adapter,
                new AiCallDefaults(model, o.MaxOutputTokens, o.Temperature),
                context,
                limiter,
                instance.LoggerFactory.CreateLogger<CodeDocChatClient>()))
            .UseOpenTelemetry(instance.LoggerFactory, "CodeDoc.Ai")
            .Build();

        Task<string> Probe(CancellationToken cancellationToken) => AiCalls.RunAsync(adapter, context, "CheckAccess", async ct =>
        {
            var info = await api.GetModelAsync(model, ct).ConfigureAwait(false);
            var limits = info.InputTokenLimit is { } input ? $" (input limit {input:N0} tokens, output limit {info.OutputTokenLimit:N0})" : string.Empty;
            return $"Model '{model}' is available to this key{limits}.";
        }, cancellationToken);

        var window = o.ContextWindowTokens ?? instance.KnownContextWindow(Vendor, model) ?? 1_048_576;
        var metadata = new AiProviderMetadata(instance.Name, Vendor, model, window, o.MaxOutputTokens, endpoint);
        return new CodeDocAiProvider(metadata, chat, Probe, context);
    }
}
