using System.ClientModel;
using System.ClientModel.Primitives;
using CodeDoc.Core;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using OpenAI;

namespace CodeDoc.Ai.OpenAI;

/// <summary>The three kinds this package builds, as specs for the shared registration, and how each becomes a provider.</summary>
internal static class OpenAIProviders
{
    /// <summary>The kind of OpenAI providers.</summary>
    public const string OpenAIKind = "openai";

    /// <summary>The kind of Azure OpenAI providers.</summary>
    public const string AzureKind = "azure-openai";

    /// <summary>The kind of OpenAI-compatible providers.</summary>
    public const string CompatibleKind = "openai-compatible";

    // The SDK insists on a credential; the real key is written into each request by AiHttpHandler.
    private const string PlaceholderKey = "codedoc-key-set-per-request";

    public static AiProviderSpec<OpenAIOptions> OpenAI { get; } = new()
    {
        Kind = OpenAIKind,
        DisplayName = "OpenAI",
        KeyHeader = _ => AiKeyHeader.Bearer,
        Http = o => o.Http,
        ApiKey = o => o.ApiKey,
        ApiKeyProvider = o => o.ApiKeyProvider,
        Endpoint = o => o.Endpoint,
        Validate = (o, path) => AiOptionChecks.Common(path, o.Model, o.MaxOutputTokens, o.ContextWindowTokens, o.Temperature, o.RequestsPerMinute, o.TokensPerMinute, o.Http)
            .Concat(new[] { AiOptionChecks.Endpoint(path, o.Endpoint, required: true, o.Http), AiOptionChecks.Key(path, o.ApiKey, o.ApiKeyProvider is not null, "platform.openai.com/api-keys") }.OfType<string>()),
        Create = instance =>
        {
            var o = instance.Options;
            return Build(instance, new OpenAISetup(
                "openai", "OpenAI", o.Endpoint!, o.Api, o.Model!, o.Model!, o.MaxOutputTokens,
                o.ContextWindowTokens ?? instance.KnownContextWindow("openai", o.Model!) ?? 128_000, o.Temperature,
                o.RequestsPerMinute, o.TokensPerMinute, o.Organization, o.Project, ModelLookup: true, StreamUsageIsCumulative: false));
        },
    };

    public static AiProviderSpec<AzureOpenAIOptions> Azure { get; } = new()
    {
        Kind = AzureKind,
        DisplayName = "Azure OpenAI",
        KeyHeader = o => o.TokenProvider is null ? AiKeyHeader.AzureApiKey : AiKeyHeader.Bearer,
        Http = o => o.Http,
        ApiKey = o => o.ApiKey,
        ApiKeyProvider = o => o.TokenProvider,
        Endpoint = o => o.Endpoint,
        Validate = (o, path) => AiOptionChecks.Common(path, o.Model ?? o.Deployment, o.MaxOutputTokens, o.ContextWindowTokens, o.Temperature, o.RequestsPerMinute, o.TokensPerMinute, o.Http)
            .Concat(new[]
            {
                AiOptionChecks.Endpoint(path, o.Endpoint, required: true, o.Http),
                string.IsNullOrWhiteSpace(o.Deployment) ? $"{AiProviderRegistration.Field(path, "Deployment")} is required: set it to the name of the deployment in the Azure OpenAI resource." : null,
                o.Endpoint is { } e && !e.AbsolutePath.TrimEnd('/').EndsWith("/openai/v1", StringComparison.OrdinalIgnoreCase)
                    ? $"{AiProviderRegistration.Field(path, "Endpoint")} '{EndpointRules.SafeDisplay(e)}' is not a v1 endpoint: use https://<resource>.openai.azure.com/openai/v1/."
                    : null,
                o.TokenProvider is null && string.IsNullOrWhiteSpace(o.ApiKey)
                    ? $"{AiProviderRegistration.Field(path, "ApiKey")} is required: set it to a key of the Azure OpenAI resource, or set TokenProvider in code for Microsoft Entra ID."
                    : null,
            }.OfType<string>()),
        Create = instance =>
        {
            var o = instance.Options;
            var model = o.Model ?? o.Deployment!;
            return Build(instance, new OpenAISetup(
                "openai", "Azure OpenAI", o.Endpoint!, o.Api, o.Deployment!, model, o.MaxOutputTokens,
                o.ContextWindowTokens ?? instance.KnownContextWindow("openai", model) ?? 128_000, o.Temperature,
                o.RequestsPerMinute, o.TokensPerMinute, null, null, ModelLookup: false, StreamUsageIsCumulative: false));
        },
    };

    public static AiProviderSpec<OpenAICompatibleOptions> Compatible { get; } = new()
    {
        Kind = CompatibleKind,
        DisplayName = "OpenAI-compatible server",
        KeyHeader = _ => AiKeyHeader.Bearer,
        Http = o => o.Http,
        ApiKey = o => o.ApiKey,
        ApiKeyProvider = o => o.ApiKeyProvider,
        Endpoint = o => o.Endpoint,
        Validate = (o, path) => AiOptionChecks.Common(path, o.Model, o.MaxOutputTokens, o.ContextWindowTokens, o.Temperature, o.RequestsPerMinute, o.TokensPerMinute, o.Http)
            .Concat(new[]
            {
                AiOptionChecks.Endpoint(path, o.Endpoint, required: true, o.Http),
                string.IsNullOrWhiteSpace(o.Vendor) ? $"{AiProviderRegistration.Field(path, "Vendor")} is empty: name the vendor for price lookups (e.g. ollama), or remove it." : null,
            }.OfType<string>()),
        Create = instance =>
        {
            var o = instance.Options;
            return Build(instance, new OpenAISetup(
                o.Vendor, "OpenAI-compatible server", o.Endpoint!, OpenAIApi.ChatCompletions, o.Model!, o.Model!, o.MaxOutputTokens,
                o.ContextWindowTokens, o.Temperature, o.RequestsPerMinute, o.TokensPerMinute, null, null, ModelLookup: false, o.StreamUsageIsCumulative));
        },
    };

    private static CodeDocAiProvider Build<TOptions>(AiInstance<TOptions> instance, OpenAISetup setup)
        where TOptions : class
    {
        var context = new AiErrorContext(instance.Name, setup.DisplayName, setup.ModelId, instance.ConfigurationPath, setup.Endpoint, instance.Credential);
        var clientOptions = new OpenAIClientOptions
        {
            Endpoint = setup.Endpoint,
            Transport = new HttpClientPipelineTransport(instance.HttpClient),

            // The HTTP client's resilience pipeline owns retries and time.
            RetryPolicy = new ClientRetryPolicy(0),
            NetworkTimeout = Timeout.InfiniteTimeSpan,
            OrganizationId = setup.Organization,
            ProjectId = setup.Project,
        };
        var client = new OpenAIClient(new ApiKeyCredential(PlaceholderKey), clientOptions);
        var sdkClient = setup.Api == OpenAIApi.Responses
            ? client.GetResponsesClient().AsIChatClient(setup.RequestModel)
            : client.GetChatClient(setup.RequestModel).AsIChatClient();
        var adapter = new OpenAIAdapter(setup.Api, setup.StreamUsageIsCumulative);
        var limiter = instance.RateLimiters.Get(setup.Vendor, instance.Credential.AccountId, setup.RequestsPerMinute, setup.TokensPerMinute);
        var chat = new ChatClientBuilder(new CodeDocChatClient(
                sdkClient,
                adapter,
                new AiCallDefaults(setup.RequestModel, setup.MaxOutputTokens, setup.Temperature),
                context,
                limiter,
                instance.LoggerFactory.CreateLogger<CodeDocChatClient>()))
            .UseOpenTelemetry(instance.LoggerFactory, "CodeDoc.Ai")
            .Build();

        Func<CancellationToken, Task<string>> probe = setup.ModelLookup
            ? cancellationToken => AiCalls.RunAsync(adapter, context, "CheckAccess", async ct =>
            {
                var model = await client.GetOpenAIModelClient().GetModelAsync(setup.RequestModel, ct).ConfigureAwait(false);
                return $"Model '{model.Value.Id}' is available to this key.";
            }, cancellationToken)
            : async cancellationToken =>
            {
                await chat.GetResponseAsync("Reply with the word OK.", new ChatOptions { MaxOutputTokens = 16 }, cancellationToken).ConfigureAwait(false);
                return $"Model '{setup.RequestModel}' answered a test request.";
            };

        var metadata = new AiProviderMetadata(instance.Name, setup.Vendor, setup.ModelId, setup.ContextWindowTokens, setup.MaxOutputTokens, setup.Endpoint);
        return new CodeDocAiProvider(metadata, chat, probe, context);
    }

    /// <summary>What differs between the three kinds once their options are read.</summary>
    private sealed record OpenAISetup(
        string Vendor,
        string DisplayName,
        Uri Endpoint,
        OpenAIApi Api,
        string RequestModel,
        string ModelId,
        int MaxOutputTokens,
        int ContextWindowTokens,
        float? Temperature,
        int? RequestsPerMinute,
        int? TokensPerMinute,
        string? Organization,
        string? Project,
        bool ModelLookup,
        bool StreamUsageIsCumulative);
}
