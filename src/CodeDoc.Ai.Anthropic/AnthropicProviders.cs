using Anthropic;
using Anthropic.Core;
using CodeDoc.Core;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;

namespace CodeDoc.Ai.Anthropic;

/// <summary>The Anthropic kind as a spec for the shared registration, and how it becomes a provider.</summary>
internal static class AnthropicProviders
{
    /// <summary>The kind of Anthropic providers.</summary>
    public const string Kind = "anthropic";

    // The SDK insists on a credential and would otherwise read ANTHROPIC_API_KEY; the real key is written into each request by AiHttpHandler.
    private const string PlaceholderKey = "codedoc-key-set-per-request";

    public static AiProviderSpec<AnthropicOptions> Spec { get; } = new()
    {
        Kind = Kind,
        DisplayName = "Anthropic",
        KeyHeader = _ => AiKeyHeader.XApiKey,
        ErrorRules = new AiErrorRules { RateLimitWithoutRetryAfterIsQuota = true },
        Http = o => o.Http,
        ApiKey = o => o.ApiKey,
        ApiKeyProvider = o => o.ApiKeyProvider,
        Endpoint = o => o.Endpoint,
        Validate = (o, path) => AiOptionChecks.Common(path, o.Model, o.MaxOutputTokens, o.ContextWindowTokens, null, o.RequestsPerMinute, o.TokensPerMinute, o.Http)
            .Concat(new[]
            {
                AiOptionChecks.Endpoint(path, o.Endpoint, required: true, o.Http),
                AiOptionChecks.Key(path, o.ApiKey, o.ApiKeyProvider is not null, "console.anthropic.com (Settings, API keys)"),
                o.Endpoint is { } e && e.AbsolutePath.TrimEnd('/').EndsWith("/v1", StringComparison.OrdinalIgnoreCase)
                    ? $"{AiProviderRegistration.Field(path, "Endpoint")} '{EndpointRules.SafeDisplay(e)}' ends in /v1: give the base address without it, e.g. https://api.anthropic.com/."
                    : null,
            }.OfType<string>()),
        Create = Create,
    };

    private static CodeDocAiProvider Create(AiInstance<AnthropicOptions> instance)
    {
        var o = instance.Options;
        var model = o.Model!;
        var context = new AiErrorContext(instance.Name, "Anthropic", model, instance.ConfigurationPath, o.Endpoint, instance.Credential);
        var client = new AnthropicClient(new ClientOptions
        {
            ApiKey = PlaceholderKey,
            BaseUrl = o.Endpoint!.ToString().TrimEnd('/'),
            HttpClient = instance.HttpClient,

            // The HTTP client's resilience pipeline owns retries and time.
            MaxRetries = 0,
            Timeout = o.Http.TotalTimeout,
        });
        var adapter = new AnthropicAdapter(o.PromptCaching, o.PromptCacheTtl);
        var limiter = instance.RateLimiters.Get("anthropic", instance.Credential.AccountId, o.RequestsPerMinute, o.TokensPerMinute);
        var chat = new ChatClientBuilder(new CodeDocChatClient(
                client.AsIChatClient(model, o.MaxOutputTokens),
                adapter,
                new AiCallDefaults(model, o.MaxOutputTokens, null),
                context,
                limiter,
                instance.LoggerFactory.CreateLogger<CodeDocChatClient>()))
            .UseOpenTelemetry(instance.LoggerFactory, "CodeDoc.Ai")
            .Build();

        Task<string> Probe(CancellationToken cancellationToken) => AiCalls.RunAsync(adapter, context, "CheckAccess", async ct =>
        {
            var info = await client.Models.Retrieve(model, cancellationToken: ct).ConfigureAwait(false);
            return $"Model '{info.ID}' is available to this key.";
        }, cancellationToken);

        var window = o.ContextWindowTokens ?? instance.KnownContextWindow("anthropic", model) ?? 200_000;
        var metadata = new AiProviderMetadata(instance.Name, "anthropic", model, window, o.MaxOutputTokens, o.Endpoint);
        return new CodeDocAiProvider(metadata, chat, Probe, context);
    }
}
