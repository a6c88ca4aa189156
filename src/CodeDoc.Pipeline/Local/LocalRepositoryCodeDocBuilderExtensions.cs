using CodeDoc.Core;
using CodeDoc.Pipeline;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CodeDoc;

/// <summary>
/// Registers the local repository provider (kind <c>local</c>): local folders and git repositories named by path.
/// <c>AddCodeDoc</c> already registers one named <c>local</c>; calling these methods for a name that is already a
/// local provider adds to its options instead of registering it twice.
/// </summary>
public static class LocalRepositoryCodeDocBuilderExtensions
{
    /// <summary>The registration name of the unnamed overloads and of the provider <c>AddCodeDoc</c> registers.</summary>
    internal const string DefaultName = "local";

    private const string DefaultConfigurationPath = $"{CodeDocOptions.SectionName}:{LocalRepositoryOptions.SectionName}";

    /// <summary>Registers the local provider under the name <c>local</c> with default options.</summary>
    /// <param name="builder">The builder.</param>
    /// <returns>The builder.</returns>
    public static ICodeDocBuilder AddLocalRepositories(this ICodeDocBuilder builder) =>
        AddLocalRepositories(builder, DefaultName, configure: null);

    /// <summary>Registers the local provider under the name <c>local</c>, with options set in code.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="configure">Sets the options.</param>
    /// <returns>The builder.</returns>
    public static ICodeDocBuilder AddLocalRepositories(this ICodeDocBuilder builder, Action<LocalRepositoryOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        return AddLocalRepositories(builder, DefaultName, configure);
    }

    /// <summary>Registers a local provider under a name, with options set in code.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="name">The registration name (the keyed service key and the options name).</param>
    /// <param name="configure">Sets the options, if given.</param>
    /// <returns>The builder.</returns>
    public static ICodeDocBuilder AddLocalRepositories(this ICodeDocBuilder builder, string name, Action<LocalRepositoryOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        var options = builder.Services.AddOptionsWithValidateOnStart<LocalRepositoryOptions>(name);
        if (configure is not null)
        {
            options.Configure(configure);
        }

        return Register(builder, name, ConventionalPath(name));
    }

    /// <summary>Registers a local provider under a name, bound to a configuration section.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="name">The registration name (the keyed service key and the options name).</param>
    /// <param name="section">The section holding <c>AllowedRoots</c> and <c>PreferGit</c>.</param>
    /// <returns>The builder.</returns>
    public static ICodeDocBuilder AddLocalRepositories(this ICodeDocBuilder builder, string name, IConfigurationSection section)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(section);
        builder.Services.AddOptionsWithValidateOnStart<LocalRepositoryOptions>(name).Bind(section);
        return Register(builder, name, section.Path);
    }

    /// <summary>Registers the engine's default local provider, bound to <c>Local</c> below the engine's section when there is one.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="engineSection">The section passed to <c>AddCodeDoc</c>, if any.</param>
    /// <returns>The builder.</returns>
    internal static ICodeDocBuilder AddDefaultLocalRepositories(this ICodeDocBuilder builder, IConfiguration? engineSection) =>
        engineSection is null
            ? builder.AddLocalRepositories()
            : builder.AddLocalRepositories(DefaultName, engineSection.GetSection(LocalRepositoryOptions.SectionName));

    private static ICodeDocBuilder Register(ICodeDocBuilder builder, string name, string configurationPath)
    {
        var alreadyLocal = builder.Services.Any(d =>
            d.ServiceType == typeof(ProviderRegistration) &&
            d.ImplementationInstance is ProviderRegistration { Category: ProviderCategory.Git } registration &&
            string.Equals(registration.Name, name, StringComparison.OrdinalIgnoreCase) &&
            string.Equals(registration.Kind, LocalGitProvider.ProviderKind, StringComparison.OrdinalIgnoreCase));
        if (alreadyLocal)
        {
            return builder;
        }

        var field = $"{configurationPath}:{nameof(LocalRepositoryOptions.AllowedRoots)}";
        builder.Services.AddSingleton<IValidateOptions<LocalRepositoryOptions>>(new LocalRepositoryOptionsValidator(name, configurationPath));
        builder.AddGitProviderFactory<LocalGitProviderFactory>(LocalGitProvider.ProviderKind);
        return builder.AddGitProvider(name, LocalGitProvider.ProviderKind, sp => new LocalGitProvider(
            name,
            sp.GetRequiredService<IOptionsMonitor<LocalRepositoryOptions>>().Get(name),
            field,
            sp.GetRequiredService<ILogger<LocalGitProvider>>()));
    }

    // Where the options of a registration configured in code would conventionally live in configuration.
    private static string ConventionalPath(string name) =>
        string.Equals(name, DefaultName, StringComparison.OrdinalIgnoreCase) ? DefaultConfigurationPath : $"{CodeDocOptions.SectionName}:Git:{name}";
}
