using CodeDoc.Ai;
using CodeDoc.Ai.Gemini;
using CodeDoc.Core;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace CodeDoc;

/// <summary>Registers Gemini providers (kind <c>gemini</c>): keyed <see cref="IAiProvider"/>s with named options validated at start.</summary>
public static class GeminiCodeDocBuilderExtensions
{
    /// <summary>Registers a Gemini provider named <c>gemini</c>, bound to <c>CodeDoc:Ai:gemini</c> of the registered configuration.</summary>
    /// <param name="builder">The builder.</param>
    /// <returns>The builder.</returns>
    public static ICodeDocBuilder AddGemini(this ICodeDocBuilder builder) => AddGemini(builder, GeminiProviders.Kind, configure: null);

    /// <summary>Registers a Gemini provider named <c>gemini</c>, with options set in code.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="configure">Sets the options; <see cref="GeminiOptions.Model"/> and a key are required.</param>
    /// <returns>The builder.</returns>
    public static ICodeDocBuilder AddGemini(this ICodeDocBuilder builder, Action<GeminiOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        return AddGemini(builder, GeminiProviders.Kind, configure);
    }

    /// <summary>Registers a named Gemini provider, with options set in code.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="name">The registration name; unique among AI providers.</param>
    /// <param name="configure">Sets the options.</param>
    /// <returns>The builder.</returns>
    public static ICodeDocBuilder AddGemini(this ICodeDocBuilder builder, string name, Action<GeminiOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        builder.AddGeminiFactory();
        var path = $"CodeDoc:Ai:{name}";
        return AiProviderRegistration.Register<GeminiOptions>(builder, name, path, options =>
        {
            if (configure is not null)
            {
                options.Configure(configure);
            }
            else if (string.Equals(name, GeminiProviders.Kind, StringComparison.Ordinal))
            {
                options.BindConfiguration(path);
            }
        }, GeminiProviders.Spec);
    }

    /// <summary>Registers a named Gemini provider bound to a configuration section.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="name">The registration name; unique among AI providers.</param>
    /// <param name="section">The section, e.g. <c>CodeDoc:Ai:gemini</c>, holding <c>Model</c>, <c>ApiKey</c> and the other options.</param>
    /// <returns>The builder.</returns>
    public static ICodeDocBuilder AddGemini(this ICodeDocBuilder builder, string name, IConfigurationSection section)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(section);
        builder.AddGeminiFactory();
        return AiProviderRegistration.Register<GeminiOptions>(builder, name, section.Path, options => options.Bind(section), GeminiProviders.Spec);
    }
    /// <summary>
    /// Registers the factory that builds Gemini providers (kind <c>gemini</c>) from settings at run time (provider configurations a host stores),
    /// without registering a provider instance.
    /// </summary>
    /// <param name="builder">The builder.</param>
    /// <returns>The builder.</returns>
    public static ICodeDocBuilder AddGeminiFactory(this ICodeDocBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.AddAiProviderFactory<GeminiProviderFactory>(GeminiProviders.Kind);
    }

}
