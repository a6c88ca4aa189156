using CodeDoc.Core;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace CodeDoc.Pipeline;

/// <summary>
/// Builds Markdown folder publishers from run-time settings (a stored job configuration, CLI flags). The settings use
/// the keys of <see cref="MarkdownFolderOptions"/> (<c>OutputPath</c>, <c>RemovedPages</c>, ...), are bound exactly as
/// configuration is, and are checked by the same validator as start-up validation.
/// </summary>
/// <param name="timeProvider">The clock; the system clock when none is registered.</param>
/// <param name="loggerFactory">The logger factory; no logging when none is registered.</param>
internal sealed class MarkdownFolderPublisherFactory(TimeProvider? timeProvider = null, ILoggerFactory? loggerFactory = null) : IDocPublisherFactory
{
    public string Kind => MarkdownFolderPublisher.PublisherKind;

    public IDocPublisher Create(ProviderSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (!string.Equals(settings.Kind, Kind, StringComparison.OrdinalIgnoreCase))
        {
            throw new CodeDocConfigurationException(
                $"The Markdown folder factory builds publishers of kind '{Kind}', not '{settings.Kind}'; ask the factory registered for '{settings.Kind}'.")
            {
                ProviderName = settings.Name,
            };
        }

        var options = new MarkdownFolderOptions();
        try
        {
            new ConfigurationBuilder().AddInMemoryCollection(settings.Values).Build().Bind(options);
        }
        catch (InvalidOperationException e)
        {
            throw new CodeDocConfigurationException(
                $"The settings of the Markdown folder publisher '{settings.Name}' cannot be read: {e.Message} RemovedPages takes Delete or Archive, " +
                "AddTeamNotesSection takes true or false.",
                e)
            {
                ProviderName = settings.Name,
            };
        }

        var problems = new MarkdownFolderOptionsValidator(settings.Name, configurationPath: string.Empty).Check(options).ToList();
        if (problems.Count > 0)
        {
            throw new CodeDocConfigurationException(string.Join(" ", problems)) { ProviderName = settings.Name };
        }

        return new MarkdownFolderPublisher(
            settings.Name,
            options,
            timeProvider ?? TimeProvider.System,
            (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger<MarkdownFolderPublisher>());
    }
}
