using CodeDoc.Core;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.SemanticKernel;
using Microsoft.SemanticKernel.ChatCompletion;
using Microsoft.SemanticKernel.Services;

namespace CodeDoc.Ai.SemanticKernel;

/// <summary>The <c>semantic-kernel</c> kind: how a host's kernel or chat service becomes a CodeDoc provider.</summary>
internal static class SemanticKernelProvider
{
    /// <summary>The kind of Semantic Kernel providers.</summary>
    public const string Kind = "semantic-kernel";

    private const int DefaultContextWindow = 32_768;

    /// <summary>Builds the spec of one registration, around the host's factory of the kernel or service.</summary>
    /// <param name="source">Makes the host's chat client from the services and CodeDoc's HTTP client for this instance.</param>
    /// <returns>The spec.</returns>
    public static AiProviderSpec<SemanticKernelOptions> Spec(Func<IServiceProvider, HttpClient, string?, ChatSource> source) => new()
    {
        Kind = Kind,
        DisplayName = "Semantic Kernel",

        // The connector owns its key; CodeDoc's handler only records what the responses said.
        KeyHeader = _ => AiKeyHeader.SetByClient,
        Http = o => o.Http,
        ApiKey = _ => null,
        ApiKeyProvider = _ => null,
        Endpoint = _ => null,
        Validate = Validate,
        Create = instance => Build(
            instance.Name,
            instance.Options,
            source(instance.Services!, instance.HttpClient, instance.Options.ServiceId),
            instance.Credential,
            instance.RateLimiters,
            instance.LoggerFactory,
            instance.Prices,
            instance.ConfigurationPath),
    };

    /// <summary>Checks the options; each message names the field, the value and the fix.</summary>
    /// <param name="options">The options.</param>
    /// <param name="path">The configuration path (empty for bare keys).</param>
    /// <returns>One message per problem.</returns>
    public static IEnumerable<string> Validate(SemanticKernelOptions options, string path) =>
        AiOptionChecks.Common(path, options.Model ?? "(from the service)", options.MaxOutputTokens, options.ContextWindowTokens, options.Temperature, options.RequestsPerMinute, options.TokensPerMinute, options.Http)
            .Concat(new[]
            {
                options.Model is { } model && string.IsNullOrWhiteSpace(model) ? $"{AiProviderRegistration.Field(path, "Model")} is empty: name the model the connector calls, or remove it to use the service's model id." : null,
                string.IsNullOrWhiteSpace(options.Vendor) ? $"{AiProviderRegistration.Field(path, "Vendor")} is empty: name the vendor behind the connector for price lookups (e.g. openai), or remove it." : null,
            }.OfType<string>());

    /// <summary>Builds a provider around a chat client from a kernel or a chat service.</summary>
    /// <param name="name">The registration name.</param>
    /// <param name="options">The validated options.</param>
    /// <param name="source">The host's chat client, model and endpoint.</param>
    /// <param name="credential">The instance's (empty) credential.</param>
    /// <param name="limiters">The account limiters.</param>
    /// <param name="loggerFactory">The logger factory.</param>
    /// <param name="prices">The price data, if registered.</param>
    /// <param name="path">Where the options live.</param>
    /// <returns>The provider.</returns>
    public static CodeDocAiProvider Build(
        string name, SemanticKernelOptions options, ChatSource source, AiCredential credential, AiRateLimiters limiters, ILoggerFactory loggerFactory, IModelPriceCatalog? prices, string path)
    {
        var model = options.Model ?? source.ModelId ?? throw new CodeDocConfigurationException(
            $"{AiProviderRegistration.Field(path, "Model")} is required: the Semantic Kernel service of AI provider '{name}' does not report its model id; set it to the model the connector calls.");
        var window = options.ContextWindowTokens
            ?? prices?.Find(options.Vendor, model, DateOnly.FromDateTime(DateTime.UtcNow))?.ContextWindowTokens
            ?? DefaultContextWindow;
        var context = new AiErrorContext(name, "Semantic Kernel", model, path, source.Endpoint, credential);
        var adapter = new SemanticKernelAdapter();
        var chat = new ChatClientBuilder(new CodeDocChatClient(
                new HostOwnedChatClient(source.Client),
                adapter,
                new AiCallDefaults(model, options.MaxOutputTokens, options.Temperature),
                context,
                limiters.Get(options.Vendor, credential.AccountId, options.RequestsPerMinute, options.TokensPerMinute),
                loggerFactory.CreateLogger<CodeDocChatClient>()))
            .UseOpenTelemetry(loggerFactory, "CodeDoc.Ai")
            .Build();

        // A connector has no model lookup in common: one answer of a few tokens proves key, model and reachability.
        async Task<string> Probe(CancellationToken cancellationToken)
        {
            await chat.GetResponseAsync("Reply with the word OK.", new ChatOptions { MaxOutputTokens = 16 }, cancellationToken).ConfigureAwait(false);
            return $"Model '{model}' answered a test request.";
        }

        return new CodeDocAiProvider(new AiProviderMetadata(name, options.Vendor, model, window, options.MaxOutputTokens, source.Endpoint), chat, Probe, context);
    }

    /// <summary>Finds the chat service of a kernel: an <see cref="IChatClient"/> it holds, else its <see cref="IChatCompletionService"/>.</summary>
    /// <param name="kernel">The kernel.</param>
    /// <param name="serviceId">The service id, or <see langword="null"/> for the default.</param>
    /// <returns>The chat source.</returns>
    public static ChatSource From(Kernel kernel, string? serviceId)
    {
        ArgumentNullException.ThrowIfNull(kernel);
        var chatClient = serviceId is null ? kernel.Services.GetService<IChatClient>() : kernel.Services.GetKeyedService<IChatClient>(serviceId);
        if (chatClient is not null)
        {
            var metadata = chatClient.GetService<ChatClientMetadata>();
            return new ChatSource(chatClient, metadata?.DefaultModelId, metadata?.ProviderUri);
        }

        var service = serviceId is null ? kernel.Services.GetService<IChatCompletionService>() : kernel.Services.GetKeyedService<IChatCompletionService>(serviceId);
        return service is null
            ? throw new CodeDocConfigurationException(
                $"The kernel holds no chat service{(serviceId is null ? string.Empty : $" with service id '{serviceId}'")}: add one to the kernel (e.g. AddOpenAIChatCompletion), or set ServiceId to the id of the one to use.")
            : From(service);
    }

    /// <summary>Wraps a chat completion service.</summary>
    /// <param name="service">The service.</param>
    /// <returns>The chat source.</returns>
    public static ChatSource From(IChatCompletionService service)
    {
        ArgumentNullException.ThrowIfNull(service);
        var endpoint = Uri.TryCreate(service.GetEndpoint(), UriKind.Absolute, out var uri) ? uri : null;
        return new ChatSource(new ConnectorMetadataChatClient(service.AsChatClient()), service.GetModelId(), endpoint);
    }

    /// <summary>The host's chat client and what it says about itself.</summary>
    /// <param name="Client">The chat client.</param>
    /// <param name="ModelId">The model id it reports.</param>
    /// <param name="Endpoint">The endpoint it reports.</param>
    internal sealed record ChatSource(IChatClient Client, string? ModelId, Uri? Endpoint);

    /// <summary>The host's client belongs to the host's kernel: disposing the provider leaves it alone.</summary>
    /// <param name="inner">The host's client.</param>
    private sealed class HostOwnedChatClient(IChatClient inner) : IChatClient
    {
        public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
            inner.GetResponseAsync(messages, options, cancellationToken);

        public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
            inner.GetStreamingResponseAsync(messages, options, cancellationToken);

        public object? GetService(Type serviceType, object? serviceKey = null) => inner.GetService(serviceType, serviceKey);

        public void Dispose()
        {
        }
    }
}
