using CodeDoc.Core;
using Microsoft.Extensions.Configuration;

namespace CodeDoc.Transport;

/// <summary>
/// Turns run-time <see cref="ProviderSettings"/> (stored job configurations, CLI flags) into a package's options the
/// way start-up binding does, so a factory-built provider is configured and validated exactly like a registered one.
/// </summary>
internal static class ProviderSettingsReader
{
    /// <summary>Binds and validates the settings.</summary>
    /// <typeparam name="TOptions">The package's options.</typeparam>
    /// <param name="settings">The settings.</param>
    /// <param name="kind">The kind the calling factory builds.</param>
    /// <param name="product">The product's name in messages, e.g. <c>GitHub</c>.</param>
    /// <param name="bindHint">What to say after a value that cannot be converted (which keys take URLs, numbers, ...).</param>
    /// <param name="check">The package's validation: one message per problem.</param>
    /// <param name="http">Selects the options' HTTP options, which receive the settings' <see cref="ProviderSettings.OutboundHandlers"/>.</param>
    /// <returns>The options.</returns>
    /// <exception cref="CodeDocConfigurationException">The settings are of another kind, cannot be read or are invalid.</exception>
    public static TOptions Read<TOptions>(
        ProviderSettings settings, string kind, string product, string? bindHint, Func<TOptions, IEnumerable<string>> check, Func<TOptions, CodeDocHttpOptions> http)
        where TOptions : new()
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(http);
        if (!string.Equals(settings.Kind, kind, StringComparison.OrdinalIgnoreCase))
        {
            throw new CodeDocConfigurationException(
                $"The {product} factory builds providers of kind '{kind}', not '{settings.Kind}': pass the settings to the factory of that kind.")
            {
                ProviderName = settings.Name,
            };
        }

        var options = new TOptions();
        try
        {
            new ConfigurationBuilder().AddInMemoryCollection(settings.Values).Build().Bind(options);
        }
        catch (InvalidOperationException ex)
        {
            var hint = bindHint is null ? string.Empty : " " + bindHint;
            throw new CodeDocConfigurationException($"The settings of {product} provider '{settings.Name}' cannot be read: {ex.Message}{hint}", ex)
            {
                ProviderName = settings.Name,
            };
        }

        AddOutboundHandlers(settings, http(options));
        var problems = check(options).ToList();
        if (problems.Count > 0)
        {
            throw new CodeDocConfigurationException($"The settings of {product} provider '{settings.Name}' are invalid: {string.Join(" ", problems)}")
            {
                ProviderName = settings.Name,
            };
        }

        return options;
    }

    /// <summary>Appends the handlers a host attached to the settings (egress rules) after the options' own.</summary>
    /// <param name="settings">The settings.</param>
    /// <param name="http">The bound HTTP options.</param>
    public static void AddOutboundHandlers(ProviderSettings settings, CodeDocHttpOptions http)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(http);
        foreach (var handler in settings.OutboundHandlers)
        {
            http.OutboundHandlers.Add(handler);
        }
    }
}
