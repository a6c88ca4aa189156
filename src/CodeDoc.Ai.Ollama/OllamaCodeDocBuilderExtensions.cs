using CodeDoc.Ai;
using CodeDoc.Ai.Ollama;
using CodeDoc.Core;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace CodeDoc;

/// <summary>
/// Registers Ollama providers (kind <c>ollama</c>): local or self-hosted models through Ollama's native API. Each
/// registration is a keyed <see cref="IAiProvider"/> under its name, with named options validated at start.
/// </summary>
public static class OllamaCodeDocBuilderExtensions
{
    /// <summary>Registers an Ollama provider named <c>ollama</c>, with options set in code.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="configure">Sets the options; <see cref="OllamaOptions.Model"/> is required.</param>
    /// <returns>The builder.</returns>
    public static ICodeDocBuilder AddOllama(this ICodeDocBuilder builder, Action<OllamaOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        return AddOllama(builder, OllamaProvider.Kind, configure);
    }

    /// <summary>Registers an Ollama provider named <c>ollama</c>, bound to <c>CodeDoc:Ai:ollama</c> of the registered configuration.</summary>
    /// <param name="builder">The builder.</param>
    /// <returns>The builder.</returns>
    public static ICodeDocBuilder AddOllama(this ICodeDocBuilder builder) => AddOllama(builder, OllamaProvider.Kind, configure: null);

    /// <summary>Registers a named Ollama provider, with options set in code.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="name">The registration name; unique among AI providers.</param>
    /// <param name="configure">Sets the options.</param>
    /// <returns>The builder.</returns>
    public static ICodeDocBuilder AddOllama(this ICodeDocBuilder builder, string name, Action<OllamaOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        builder.AddOllamaFactory();

        // Registered without code options: bind the conventional section, so AddOllama() reads CodeDoc:Ai:ollama.
        var path = $"CodeDoc:Ai:{name}";
        return AiProviderRegistration.Register<OllamaOptions>(builder, name, path, options =>
        {
            if (configure is not null)
            {
                options.Configure(configure);
            }
            else if (string.Equals(name, OllamaProvider.Kind, StringComparison.Ordinal))
            {
                options.BindConfiguration(path);
            }
        }, OllamaProvider.Spec);
    }

    /// <summary>Registers a named Ollama provider bound to a configuration section.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="name">The registration name; unique among AI providers.</param>
    /// <param name="section">The section, e.g. <c>CodeDoc:Ai:local</c>, holding <c>Model</c>, <c>Endpoint</c> and the other options.</param>
    /// <returns>The builder.</returns>
    public static ICodeDocBuilder AddOllama(this ICodeDocBuilder builder, string name, IConfigurationSection section)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(section);
        builder.AddOllamaFactory();
        return AiProviderRegistration.Register<OllamaOptions>(builder, name, section.Path, options => options.Bind(section), OllamaProvider.Spec);
    }
    /// <summary>
    /// Registers the factory that builds Ollama providers (kind <c>ollama</c>) from settings at run time (provider configurations a host stores),
    /// without registering a provider instance.
    /// </summary>
    /// <param name="builder">The builder.</param>
    /// <returns>The builder.</returns>
    public static ICodeDocBuilder AddOllamaFactory(this ICodeDocBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.AddAiProviderFactory<OllamaProviderFactory>(OllamaProvider.Kind);
    }

}
