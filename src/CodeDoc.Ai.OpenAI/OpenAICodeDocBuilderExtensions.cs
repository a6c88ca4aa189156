using CodeDoc.Ai;
using CodeDoc.Ai.OpenAI;
using CodeDoc.Core;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace CodeDoc;

/// <summary>
/// Registers OpenAI providers: <c>openai</c> (OpenAI's API), <c>azure-openai</c> (an Azure OpenAI resource's v1
/// endpoint) and <c>openai-compatible</c> (vLLM, LM Studio, llama.cpp, Ollama's <c>/v1</c>, gateways). Each
/// registration is a keyed <see cref="IAiProvider"/> under its name, with named options validated at start.
/// </summary>
public static class OpenAICodeDocBuilderExtensions
{
    /// <summary>Registers an OpenAI provider named <c>openai</c>, with options set in code.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="configure">Sets the options; <see cref="OpenAIOptions.Model"/> and a key are required.</param>
    /// <returns>The builder.</returns>
    public static ICodeDocBuilder AddOpenAI(this ICodeDocBuilder builder, Action<OpenAIOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        return AddOpenAI(builder, OpenAIProviders.OpenAIKind, configure);
    }

    /// <summary>Registers an OpenAI provider named <c>openai</c>, bound to <c>CodeDoc:Ai:openai</c> of the registered configuration.</summary>
    /// <param name="builder">The builder.</param>
    /// <returns>The builder.</returns>
    public static ICodeDocBuilder AddOpenAI(this ICodeDocBuilder builder) => AddOpenAI(builder, OpenAIProviders.OpenAIKind, configure: null);

    /// <summary>Registers a named OpenAI provider, with options set in code.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="name">The registration name; unique among AI providers.</param>
    /// <param name="configure">Sets the options.</param>
    /// <returns>The builder.</returns>
    public static ICodeDocBuilder AddOpenAI(this ICodeDocBuilder builder, string name, Action<OpenAIOptions>? configure = null) =>
        Register(builder, name, OpenAIProviders.OpenAI, configure, OpenAIProviders.OpenAIKind, static b => b.AddAiProviderFactory<OpenAIProviderFactory>(OpenAIProviders.OpenAIKind));

    /// <summary>Registers a named OpenAI provider bound to a configuration section.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="name">The registration name; unique among AI providers.</param>
    /// <param name="section">The section, e.g. <c>CodeDoc:Ai:docs</c>, holding <c>Model</c>, <c>ApiKey</c> and the other options.</param>
    /// <returns>The builder.</returns>
    public static ICodeDocBuilder AddOpenAI(this ICodeDocBuilder builder, string name, IConfigurationSection section) =>
        Register(builder, name, OpenAIProviders.OpenAI, section, static b => b.AddAiProviderFactory<OpenAIProviderFactory>(OpenAIProviders.OpenAIKind));

    /// <summary>Registers an Azure OpenAI provider named <c>azure-openai</c>, with options set in code.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="configure">Sets the options; endpoint, deployment and a key or token provider are required.</param>
    /// <returns>The builder.</returns>
    public static ICodeDocBuilder AddAzureOpenAI(this ICodeDocBuilder builder, Action<AzureOpenAIOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        return AddAzureOpenAI(builder, OpenAIProviders.AzureKind, configure);
    }

    /// <summary>Registers an Azure OpenAI provider named <c>azure-openai</c>, bound to <c>CodeDoc:Ai:azure-openai</c> of the registered configuration.</summary>
    /// <param name="builder">The builder.</param>
    /// <returns>The builder.</returns>
    public static ICodeDocBuilder AddAzureOpenAI(this ICodeDocBuilder builder) => AddAzureOpenAI(builder, OpenAIProviders.AzureKind, configure: null);

    /// <summary>Registers a named Azure OpenAI provider, with options set in code.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="name">The registration name; unique among AI providers.</param>
    /// <param name="configure">Sets the options.</param>
    /// <returns>The builder.</returns>
    public static ICodeDocBuilder AddAzureOpenAI(this ICodeDocBuilder builder, string name, Action<AzureOpenAIOptions>? configure = null) =>
        Register(builder, name, OpenAIProviders.Azure, configure, OpenAIProviders.AzureKind, static b => b.AddAiProviderFactory<AzureOpenAIProviderFactory>(OpenAIProviders.AzureKind));

    /// <summary>Registers a named Azure OpenAI provider bound to a configuration section.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="name">The registration name; unique among AI providers.</param>
    /// <param name="section">The section holding <c>Endpoint</c>, <c>Deployment</c>, <c>ApiKey</c> and the other options.</param>
    /// <returns>The builder.</returns>
    public static ICodeDocBuilder AddAzureOpenAI(this ICodeDocBuilder builder, string name, IConfigurationSection section) =>
        Register(builder, name, OpenAIProviders.Azure, section, static b => b.AddAiProviderFactory<AzureOpenAIProviderFactory>(OpenAIProviders.AzureKind));

    /// <summary>Registers an OpenAI-compatible provider named <c>openai-compatible</c>, with options set in code.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="configure">Sets the options; endpoint and model are required.</param>
    /// <returns>The builder.</returns>
    public static ICodeDocBuilder AddOpenAICompatible(this ICodeDocBuilder builder, Action<OpenAICompatibleOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        return AddOpenAICompatible(builder, OpenAIProviders.CompatibleKind, configure);
    }

    /// <summary>Registers an OpenAI-compatible provider named <c>openai-compatible</c>, bound to <c>CodeDoc:Ai:openai-compatible</c> of the registered configuration.</summary>
    /// <param name="builder">The builder.</param>
    /// <returns>The builder.</returns>
    public static ICodeDocBuilder AddOpenAICompatible(this ICodeDocBuilder builder) => AddOpenAICompatible(builder, OpenAIProviders.CompatibleKind, configure: null);

    /// <summary>Registers a named OpenAI-compatible provider, with options set in code.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="name">The registration name; unique among AI providers.</param>
    /// <param name="configure">Sets the options.</param>
    /// <returns>The builder.</returns>
    public static ICodeDocBuilder AddOpenAICompatible(this ICodeDocBuilder builder, string name, Action<OpenAICompatibleOptions>? configure = null) =>
        Register(builder, name, OpenAIProviders.Compatible, configure, OpenAIProviders.CompatibleKind, static b => b.AddAiProviderFactory<OpenAICompatibleProviderFactory>(OpenAIProviders.CompatibleKind));

    /// <summary>Registers a named OpenAI-compatible provider bound to a configuration section.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="name">The registration name; unique among AI providers.</param>
    /// <param name="section">The section holding <c>Endpoint</c>, <c>Model</c> and the other options.</param>
    /// <returns>The builder.</returns>
    public static ICodeDocBuilder AddOpenAICompatible(this ICodeDocBuilder builder, string name, IConfigurationSection section) =>
        Register(builder, name, OpenAIProviders.Compatible, section, static b => b.AddAiProviderFactory<OpenAICompatibleProviderFactory>(OpenAIProviders.CompatibleKind));

    /// <summary>
    /// Registers the factories that build OpenAI (<c>openai</c>), Azure OpenAI (<c>azure-openai</c>) and
    /// OpenAI-compatible (<c>openai-compatible</c>) providers from settings at run time (provider configurations a
    /// host stores), without registering a provider instance.
    /// </summary>
    /// <param name="builder">The builder.</param>
    /// <returns>The builder.</returns>
    public static ICodeDocBuilder AddOpenAIFactories(this ICodeDocBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder
            .AddAiProviderFactory<OpenAIProviderFactory>(OpenAIProviders.OpenAIKind)
            .AddAiProviderFactory<AzureOpenAIProviderFactory>(OpenAIProviders.AzureKind)
            .AddAiProviderFactory<OpenAICompatibleProviderFactory>(OpenAIProviders.CompatibleKind);
    }

    private static ICodeDocBuilder Register<TOptions>(
        ICodeDocBuilder builder, string name, AiProviderSpec<TOptions> spec, Action<TOptions>? configure, string defaultName, Action<ICodeDocBuilder> addFactory)
        where TOptions : class
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        addFactory(builder);

        // Registered without code options: bind the conventional section, so AddOpenAI() reads CodeDoc:Ai:openai.
        var path = $"CodeDoc:Ai:{name}";
        return AiProviderRegistration.Register<TOptions>(builder, name, path, options =>
        {
            if (configure is not null)
            {
                options.Configure(configure);
            }
            else if (string.Equals(name, defaultName, StringComparison.Ordinal))
            {
                options.BindConfiguration(path);
            }
        }, spec);
    }

    private static ICodeDocBuilder Register<TOptions>(ICodeDocBuilder builder, string name, AiProviderSpec<TOptions> spec, IConfigurationSection section, Action<ICodeDocBuilder> addFactory)
        where TOptions : class
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(section);
        addFactory(builder);
        return AiProviderRegistration.Register<TOptions>(builder, name, section.Path, options => options.Bind(section), spec);
    }
}
