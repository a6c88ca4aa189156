using CodeDoc.Core;
using CodeDoc.Transport;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace CodeDoc.Ai;

/// <summary>What a vendor package tells the shared registration about itself.</summary>
/// <typeparam name="TOptions">The package's options.</typeparam>
internal sealed record AiProviderSpec<TOptions>
    where TOptions : class
{
    /// <summary>Gets the kind, e.g. <c>openai</c>.</summary>
    public required string Kind { get; init; }

    /// <summary>Gets the vendor as users know it, e.g. <c>OpenAI</c>.</summary>
    public required string DisplayName { get; init; }

    /// <summary>Gets where the key goes on the wire.</summary>
    public required Func<TOptions, AiKeyHeader> KeyHeader { get; init; }

    /// <summary>Gets the vendor's error quirks.</summary>
    public AiErrorRules ErrorRules { get; init; } = AiErrorRules.Default;

    /// <summary>Gets the instance's HTTP options.</summary>
    public required Func<TOptions, CodeDocHttpOptions> Http { get; init; }

    /// <summary>Gets the instance's fixed key.</summary>
    public required Func<TOptions, string?> ApiKey { get; init; }

    /// <summary>Gets the instance's key delegate.</summary>
    public required Func<TOptions, Func<CancellationToken, ValueTask<string>>?> ApiKeyProvider { get; init; }

    /// <summary>Gets the instance's endpoint (for the account scope of delegates and keyless servers).</summary>
    public required Func<TOptions, Uri?> Endpoint { get; init; }

    /// <summary>Gets the validation: options and the configuration path to prefix field names with (empty for bare keys).</summary>
    public required Func<TOptions, string, IEnumerable<string>> Validate { get; init; }

    /// <summary>Gets vendor-specific handlers for the instance's HTTP client, added inside the key handler (e.g. one that reads errors a vendor writes into a started stream).</summary>
    public Action<IHttpClientBuilder>? ConfigureHttpClient { get; init; }

    /// <summary>Gets the builder of the provider.</summary>
    public required Func<AiInstance<TOptions>, CodeDocAiProvider> Create { get; init; }
}

/// <summary>Everything a vendor package needs to build one provider instance.</summary>
/// <typeparam name="TOptions">The package's options.</typeparam>
/// <param name="Name">The registration name.</param>
/// <param name="Options">The validated options.</param>
/// <param name="HttpClient">The instance's HTTP client (resilience, proxy, key header, capture).</param>
/// <param name="Credential">The instance's key.</param>
/// <param name="RateLimiters">The account limiters of the application.</param>
/// <param name="LoggerFactory">The logger factory.</param>
/// <param name="Prices">The price data, when the engine is registered (limits of known models).</param>
/// <param name="ConfigurationPath">Where the options live, for messages.</param>
/// <param name="Services">The services the provider is resolved from (for vendors that wrap objects the host registers).</param>
internal sealed record AiInstance<TOptions>(
    string Name,
    TOptions Options,
    HttpClient HttpClient,
    AiCredential Credential,
    AiRateLimiters RateLimiters,
    ILoggerFactory LoggerFactory,
    IModelPriceCatalog? Prices,
    string ConfigurationPath,
    IServiceProvider? Services = null)
    where TOptions : class
{
    /// <summary>Gets the context window of a model from the price data.</summary>
    /// <param name="vendor">The vendor.</param>
    /// <param name="modelId">The model.</param>
    /// <returns>The context window, when the model is known.</returns>
    public int? KnownContextWindow(string vendor, string modelId) =>
        Prices?.Find(vendor, modelId, DateOnly.FromDateTime(DateTime.UtcNow))?.ContextWindowTokens;
}

/// <summary>
/// The one registration path of every AI provider instance: named options validated at start, one named HTTP client
/// with the shared resilience pipeline and the key handler, the shared account limiters, the keyed provider. Runtime
/// factories use the same path on a private service collection, so a stored configuration builds the same provider.
/// </summary>
internal static class AiProviderRegistration
{
    /// <summary>Registers a provider instance.</summary>
    /// <typeparam name="TOptions">The package's options.</typeparam>
    /// <param name="builder">The builder.</param>
    /// <param name="name">The registration name.</param>
    /// <param name="configurationPath">Where the options live (empty for bare keys).</param>
    /// <param name="configure">Configures or binds the options.</param>
    /// <param name="spec">The vendor's specifics.</param>
    /// <returns>The builder.</returns>
    public static ICodeDocBuilder Register<TOptions>(
        ICodeDocBuilder builder, string name, string configurationPath, Action<OptionsBuilder<TOptions>> configure, AiProviderSpec<TOptions> spec)
        where TOptions : class
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        var services = builder.Services;
        configure(services.AddOptionsWithValidateOnStart<TOptions>(name));
        services.AddSingleton<IValidateOptions<TOptions>>(new AiOptionsValidator<TOptions>(name, configurationPath, spec.Validate));
        services.TryAddSingleton(_ => new AiRateLimiters());

        var clientName = $"CodeDoc.{spec.Kind}.{name}";
        TOptions Options(IServiceProvider sp) => sp.GetRequiredService<IOptionsMonitor<TOptions>>().Get(name);
        services.AddKeyedSingleton(clientName, (sp, _) =>
        {
            var options = Options(sp);
            return new AiCredential(spec.ApiKey(options), spec.ApiKeyProvider(options), $"{spec.Endpoint(options)}|{name}");
        });
        var rules = new HttpRetryRules
        {
            RetryUnsafeMethods = true,
            ExtraTransientStatusCodes = new HashSet<int> { 529 },
            IsPermanent = response => IsPermanentAsync(response, spec.ErrorRules),
        };
        var httpClient = services.AddCodeDocHttpClient(clientName, sp => spec.Http(Options(sp)), rules)
            .ConfigurePrimaryHttpMessageHandler(sp =>
            {
                // A followed redirect would carry the key headers (x-api-key, x-goog-api-key, api-key) to whatever
                // host the Location names; model APIs do not redirect, so a redirect is reported instead.
                var handler = spec.Http(Options(sp)).CreatePrimaryHandler();
                handler.AllowAutoRedirect = false;
                return handler;
            })
            .AddHttpMessageHandler(sp => new AiHttpHandler(sp.GetRequiredKeyedService<AiCredential>(clientName), spec.KeyHeader(Options(sp))));
        spec.ConfigureHttpClient?.Invoke(httpClient);

        return builder.AddAiProvider(name, spec.Kind, sp => spec.Create(new AiInstance<TOptions>(
            name,
            Options(sp),
            sp.GetRequiredService<IHttpClientFactory>().CreateClient(clientName),
            sp.GetRequiredKeyedService<AiCredential>(clientName),
            sp.GetRequiredService<AiRateLimiters>(),
            sp.GetService<ILoggerFactory>() ?? NullLoggerFactory.Instance,
            sp.GetService<IModelPriceCatalog>(),
            configurationPath,
            sp)));
    }

    /// <summary>Builds a provider from settings at run time through the same registration, on a private service collection the provider owns.</summary>
    /// <typeparam name="TOptions">The package's options.</typeparam>
    /// <param name="settings">The settings.</param>
    /// <param name="spec">The vendor's specifics.</param>
    /// <param name="applicationServices">The application's services (logging, shared account limiters, price data).</param>
    /// <returns>The provider.</returns>
    /// <exception cref="CodeDocConfigurationException">The settings are invalid.</exception>
    public static IAiProvider CreateFromSettings<TOptions>(ProviderSettings settings, AiProviderSpec<TOptions> spec, IServiceProvider applicationServices)
        where TOptions : class
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(applicationServices);
        if (!string.Equals(settings.Kind, spec.Kind, StringComparison.OrdinalIgnoreCase))
        {
            throw new CodeDocConfigurationException(
                $"The {spec.DisplayName} factory builds AI providers of kind '{spec.Kind}', not '{settings.Kind}': pass the settings to the factory of that kind.");
        }

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings.Values).Build();
        var services = new ServiceCollection();
        services.AddSingleton(applicationServices.GetService<ILoggerFactory>() ?? NullLoggerFactory.Instance);
        services.AddLogging();
        services.AddSingleton(applicationServices.GetService<AiRateLimiters>() ?? new AiRateLimiters());
        if (applicationServices.GetService<IModelPriceCatalog>() is { } prices)
        {
            services.AddSingleton(prices);
        }

        Register(
            new PrivateBuilder(services),
            settings.Name,
            string.Empty,
            options => options.Bind(configuration).PostConfigure(o => ProviderSettingsReader.AddOutboundHandlers(settings, spec.Http(o))),
            spec);
        var provider = services.BuildServiceProvider();
        try
        {
            provider.GetRequiredService<IStartupValidator>().Validate();
            var instance = (CodeDocAiProvider)provider.GetRequiredKeyedService<IAiProvider>(settings.Name);
            instance.Own(provider);
            return instance;
        }
        catch (OptionsValidationException ex)
        {
            provider.Dispose();
            throw new CodeDocConfigurationException($"The settings of {spec.DisplayName} AI provider '{settings.Name}' are invalid: {string.Join(" ", ex.Failures)}", ex);
        }
        catch (InvalidOperationException ex)
        {
            provider.Dispose();
            throw new CodeDocConfigurationException($"The settings of {spec.DisplayName} AI provider '{settings.Name}' cannot be read: {ex.Message}", ex);
        }
    }

    /// <summary>Names a field for messages.</summary>
    /// <param name="configurationPath">The options' path; empty for bare keys.</param>
    /// <param name="field">The field.</param>
    /// <returns>The full field name.</returns>
    public static string Field(string configurationPath, string field) => configurationPath.Length == 0 ? field : $"{configurationPath}:{field}";

    private static async ValueTask<bool> IsPermanentAsync(HttpResponseMessage response, AiErrorRules rules)
    {
        var body = await response.Content.ReadAsStringAsync().ConfigureAwait(false);
        var kind = AiErrors.Classify((int)response.StatusCode, AiVendorError.Parse(body), Transport.RetryAfter.From(response), rules);
        return kind == AiFailureKind.QuotaExceeded;
    }

    private sealed class PrivateBuilder(IServiceCollection services) : ICodeDocBuilder
    {
        public IServiceCollection Services { get; } = services;
    }

    private sealed class AiOptionsValidator<TOptions>(string name, string configurationPath, Func<TOptions, string, IEnumerable<string>> check) : IValidateOptions<TOptions>
        where TOptions : class
    {
        public ValidateOptionsResult Validate(string? optionsName, TOptions options)
        {
            ArgumentNullException.ThrowIfNull(options);
            if (!string.Equals(optionsName, name, StringComparison.Ordinal))
            {
                return ValidateOptionsResult.Skip;
            }

            var failures = check(options, configurationPath).ToList();
            return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
        }
    }
}
