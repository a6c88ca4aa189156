using System.Globalization;
using CodeDoc.Core;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OllamaSharp;

namespace CodeDoc.Ai.Ollama;

/// <summary>The <c>ollama</c> kind as a spec for the shared registration, and how an instance becomes a provider.</summary>
internal static class OllamaProvider
{
    /// <summary>The kind of Ollama providers.</summary>
    public const string Kind = "ollama";

    /// <summary>The vendor in metadata and the price file (local models cost nothing per token).</summary>
    public const string Vendor = "ollama";

    public static AiProviderSpec<OllamaOptions> Spec { get; } = new()
    {
        Kind = Kind,
        DisplayName = "Ollama",
        KeyHeader = _ => AiKeyHeader.Bearer,
        Http = o => o.Http,
        ApiKey = o => o.ApiKey,
        ApiKeyProvider = o => o.ApiKeyProvider,
        Endpoint = o => o.Endpoint,
        Validate = (o, path) => AiOptionChecks.Common(path, o.Model, o.MaxOutputTokens, o.ContextWindowTokens, o.Temperature, o.RequestsPerMinute, o.TokensPerMinute, o.Http)
            .Concat(new[] { AiOptionChecks.Endpoint(path, o.Endpoint, required: true, o.Http) }.OfType<string>()),
        ConfigureHttpClient = http => http.AddHttpMessageHandler(() => new OllamaErrorLineHandler()),
        Create = Build,
    };

    private static CodeDocAiProvider Build(AiInstance<OllamaOptions> instance)
    {
        var o = instance.Options;
        var model = o.Model!;

        // OllamaSharp resolves "api/chat" against the base address, so a path prefix (a proxy) needs the slash.
        var endpoint = o.Endpoint!.AbsoluteUri.EndsWith('/') ? o.Endpoint : new Uri(o.Endpoint.AbsoluteUri + "/");
        var http = instance.HttpClient;
        http.BaseAddress = endpoint;
        var client = new OllamaApiClient(http, model);

        var context = new AiErrorContext(instance.Name, "Ollama", model, instance.ConfigurationPath, endpoint, instance.Credential);
        var window = new OllamaContextWindow(o.ContextWindowTokens, client, model);
        var adapter = new OllamaAdapter(window, instance.LoggerFactory.CreateLogger<OllamaAdapter>());
        var limiter = instance.RateLimiters.Get(Vendor, instance.Credential.AccountId, o.RequestsPerMinute, o.TokensPerMinute);
        var chat = new ChatClientBuilder(new CodeDocChatClient(
                new OllamaContextChatClient(client, window, context),
                adapter,
                new AiCallDefaults(model, o.MaxOutputTokens, o.Temperature),
                context,
                limiter,
                instance.LoggerFactory.CreateLogger<CodeDocChatClient>()))
            .UseOpenTelemetry(instance.LoggerFactory, "CodeDoc.Ai")
            .Build();

        // The model lookup proves reachability, key (behind a proxy) and that the model is pulled, and learns its window.
        Task<string> Probe(CancellationToken cancellationToken) => AiCalls.RunAsync(adapter, context, "CheckAccess", async ct =>
        {
            var tokens = await window.GetAsync(ct).ConfigureAwait(false);
            if (o.ContextWindowTokens is not null)
            {
                await client.ShowModelAsync(model, ct).ConfigureAwait(false);
            }

            return $"Model '{model}' is pulled; requests run with num_ctx {tokens.ToString("N0", CultureInfo.InvariantCulture)}.";
        }, cancellationToken);

        AiProviderMetadata Metadata() => new(instance.Name, Vendor, model, window.Current, o.MaxOutputTokens, endpoint);
        return new CodeDocAiProvider(Metadata, chat, Probe, context);
    }
}
