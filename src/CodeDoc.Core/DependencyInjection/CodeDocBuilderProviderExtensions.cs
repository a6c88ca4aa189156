using CodeDoc.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace CodeDoc;

/// <summary>
/// Registration helpers every provider package (ours or a third party's) uses, so all providers are named, keyed
/// services with a <see cref="ProviderRegistration"/> marker that hosts can list.
/// </summary>
public static class CodeDocBuilderProviderExtensions
{
    /// <summary>Registers a Git provider as a keyed singleton under <paramref name="name"/>.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="name">The registration name; unique among Git providers.</param>
    /// <param name="kind">The provider kind, e.g. <c>github</c>.</param>
    /// <param name="factory">Creates the provider.</param>
    /// <returns>The builder.</returns>
    public static ICodeDocBuilder AddGitProvider(this ICodeDocBuilder builder, string name, string kind, Func<IServiceProvider, IGitProvider> factory) =>
        Add(builder, ProviderCategory.Git, name, kind, factory);

    /// <summary>Registers an AI provider as a keyed singleton under <paramref name="name"/>.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="name">The registration name; unique among AI providers.</param>
    /// <param name="kind">The provider kind, e.g. <c>openai</c>.</param>
    /// <param name="factory">Creates the provider.</param>
    /// <returns>The builder.</returns>
    public static ICodeDocBuilder AddAiProvider(this ICodeDocBuilder builder, string name, string kind, Func<IServiceProvider, IAiProvider> factory) =>
        Add(builder, ProviderCategory.Ai, name, kind, factory);

    /// <summary>Registers a publisher as a keyed singleton under <paramref name="name"/>.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="name">The registration name; unique among publishers.</param>
    /// <param name="kind">The publisher kind, e.g. <c>markdown</c>.</param>
    /// <param name="factory">Creates the publisher.</param>
    /// <returns>The builder.</returns>
    public static ICodeDocBuilder AddDocPublisher(this ICodeDocBuilder builder, string name, string kind, Func<IServiceProvider, IDocPublisher> factory) =>
        Add(builder, ProviderCategory.Publisher, name, kind, factory);

    /// <summary>Registers a webhook handler keyed by its host kind (once per kind).</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="hostKind">The host kind, e.g. <c>github</c>.</param>
    /// <param name="factory">Creates the handler.</param>
    /// <returns>The builder.</returns>
    public static ICodeDocBuilder AddWebhookHandler(this ICodeDocBuilder builder, string hostKind, Func<IServiceProvider, IWebhookHandler> factory)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(hostKind);
        ArgumentNullException.ThrowIfNull(factory);
        builder.Services.TryAddKeyedSingleton<IWebhookHandler>(hostKind, (sp, _) => factory(sp));
        return builder;
    }

    /// <summary>Registers a factory that builds Git providers of its kind at run time (once per kind).</summary>
    /// <typeparam name="TFactory">The factory type.</typeparam>
    /// <param name="builder">The builder.</param>
    /// <param name="kind">The kind the factory builds.</param>
    /// <returns>The builder.</returns>
    public static ICodeDocBuilder AddGitProviderFactory<TFactory>(this ICodeDocBuilder builder, string kind)
        where TFactory : class, IGitProviderFactory => AddFactory<IGitProviderFactory, TFactory>(builder, kind);

    /// <summary>Registers a factory that builds AI providers of its kind at run time (once per kind).</summary>
    /// <typeparam name="TFactory">The factory type.</typeparam>
    /// <param name="builder">The builder.</param>
    /// <param name="kind">The kind the factory builds.</param>
    /// <returns>The builder.</returns>
    public static ICodeDocBuilder AddAiProviderFactory<TFactory>(this ICodeDocBuilder builder, string kind)
        where TFactory : class, IAiProviderFactory => AddFactory<IAiProviderFactory, TFactory>(builder, kind);

    /// <summary>Registers a factory that builds publishers of its kind at run time (once per kind).</summary>
    /// <typeparam name="TFactory">The factory type.</typeparam>
    /// <param name="builder">The builder.</param>
    /// <param name="kind">The kind the factory builds.</param>
    /// <returns>The builder.</returns>
    public static ICodeDocBuilder AddDocPublisherFactory<TFactory>(this ICodeDocBuilder builder, string kind)
        where TFactory : class, IDocPublisherFactory => AddFactory<IDocPublisherFactory, TFactory>(builder, kind);

    private static ICodeDocBuilder Add<TService>(ICodeDocBuilder builder, ProviderCategory category, string name, string kind, Func<IServiceProvider, TService> factory)
        where TService : class
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentException.ThrowIfNullOrWhiteSpace(kind);
        ArgumentNullException.ThrowIfNull(factory);

        var duplicate = builder.Services.Any(d =>
            d.ServiceType == typeof(ProviderRegistration) &&
            d.ImplementationInstance is ProviderRegistration r &&
            r.Category == category &&
            string.Equals(r.Name, name, StringComparison.OrdinalIgnoreCase));
        if (duplicate)
        {
            throw new CodeDocConfigurationException(
                $"A {Describe(category)} named '{name}' is already registered. Give each registration its own name, e.g. Add...(\"{name}-2\", ...).");
        }

        builder.Services.AddSingleton(new ProviderRegistration(category, name, kind));
        builder.Services.AddKeyedSingleton<TService>(name, (sp, _) => factory(sp));
        return builder;
    }

    private static ICodeDocBuilder AddFactory<TService, TFactory>(ICodeDocBuilder builder, string kind)
        where TService : class
        where TFactory : class, TService
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(kind);
        builder.Services.TryAddSingleton<TFactory>();
        builder.Services.TryAddKeyedSingleton<TService>(kind, (sp, _) => sp.GetRequiredService<TFactory>());
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<TService, TFactory>(sp => sp.GetRequiredService<TFactory>()));
        return builder;
    }

    private static string Describe(ProviderCategory category) => category switch
    {
        ProviderCategory.Git => "Git provider",
        ProviderCategory.Ai => "AI provider",
        _ => "publisher",
    };
}
