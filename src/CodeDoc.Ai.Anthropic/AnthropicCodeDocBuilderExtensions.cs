using CodeDoc.Ai;
using CodeDoc.Ai.Anthropic;
using CodeDoc.Core;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace CodeDoc;

/// <summary>Registers Anthropic providers (kind <c>anthropic</c>): keyed <see cref="IAiProvider"/>s with named options validated at start.</summary>
public static class AnthropicCodeDocBuilderExtensions
{
    /// <summary>Registers an Anthropic provider named <c>anthropic</c>, bound to <c>CodeDoc:Ai:anthropic</c> of the registered configuration.</summary>
    /// <param name="builder">The builder.</param>
    /// <returns>The builder.</returns>
    public static ICodeDocBuilder AddAnthropic(this ICodeDocBuilder builder) => AddAnthropic(builder, AnthropicProviders.Kind, configure: null);

    /// <summary>Registers an Anthropic provider named <c>anthropic</c>, with options set in code.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="configure">Sets the options; <see cref="AnthropicOptions.Model"/> and a key are required.</param>
    /// <returns>The builder.</returns>
    public static ICodeDocBuilder AddAnthropic(this ICodeDocBuilder builder, Action<AnthropicOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        return AddAnthropic(builder, AnthropicProviders.Kind, configure);
    }

    /// <summary>Registers a named Anthropic provider, with options set in code.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="name">The registration name; unique among AI providers.</param>
    /// <param name="configure">Sets the options.</param>
    /// <returns>The builder.</returns>
    public static ICodeDocBuilder AddAnthropic(this ICodeDocBuilder builder, string name, Action<AnthropicOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        builder.AddAnthropicFactory();
        var path = $"CodeDoc:Ai:{name}";
        return AiProviderRegistration.Register<AnthropicOptions>(builder, name, path, options =>
        {
            if (configure is not null)
            {
                options.Configure(configure);
            }
            else if (string.Equals(name, AnthropicProviders.Kind, StringComparison.Ordinal))
            {
                options.BindConfiguration(path);
            }
        }, AnthropicProviders.Spec);
    }

    /// <summary>Registers a named Anthropic provider bound to a configuration section.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="name">The registration name; unique among AI providers.</param>
    /// <param name="section">The section, e.g. <c>CodeDoc:Ai:claude</c>, holding <c>Model</c>, <c>ApiKey</c> and the other options.</param>
    /// <returns>The builder.</returns>
    public static ICodeDocBuilder AddAnthropic(this ICodeDocBuilder builder, string name, IConfigurationSection section)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(section);
        builder.AddAnthropicFactory();
        return AiProviderRegistration.Register<AnthropicOptions>(builder, name, section.Path, options => options.Bind(section), AnthropicProviders.Spec);
    }
    /// <summary>
    /// Registers the factory that builds Anthropic providers (kind <c>anthropic</c>) from settings at run time (provider configurations a host stores),
    /// without registering a provider instance.
    /// </summary>
    /// <param name="builder">The builder.</param>
    /// <returns>The builder.</returns>
    public static ICodeDocBuilder AddAnthropicFactory(this ICodeDocBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.AddAiProviderFactory<AnthropicProviderFactory>(AnthropicProviders.Kind);
    }

}
