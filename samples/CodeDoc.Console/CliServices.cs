using CodeDoc.Core;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CodeDoc.ConsoleHost;

/// <summary>Settings every command shares, from global options.</summary>
/// <param name="ConfigFile">An extra JSON configuration file, from <c>--config</c>.</param>
/// <param name="Verbose">Whether to log progress details to standard error.</param>
/// <param name="Overrides">Configuration keys set by command options (e.g. <c>--output</c>).</param>
internal sealed record CliSettings(string? ConfigFile, bool Verbose, IReadOnlyDictionary<string, string?> Overrides);

/// <summary>
/// Composes CodeDoc for the command line only through <c>AddCodeDoc</c> and the providers' <c>Add...</c> methods.
/// Configuration, later sources winning: appsettings.json beside the program, codedoc.json in the current folder,
/// environment variables (<c>CodeDoc__Markdown__OutputPath</c>), <c>--config</c>, then command options.
/// </summary>
internal static class CliServices
{
    public static ServiceProvider Build(CliSettings settings, Action<ICodeDocBuilder>? configure = null)
    {
        var builder = new ConfigurationBuilder()
            .AddJsonFile(Path.Combine(AppContext.BaseDirectory, "appsettings.json"), optional: true)
            .AddJsonFile(Path.Combine(Directory.GetCurrentDirectory(), "codedoc.json"), optional: true)
            .AddEnvironmentVariables();
        if (settings.ConfigFile is { } file)
        {
            if (!File.Exists(file))
            {
                throw new CodeDocConfigurationException($"The configuration file '{file}' given with --config does not exist.");
            }

            builder.AddJsonFile(Path.GetFullPath(file), optional: false);
        }

        var overrides = new Dictionary<string, string?>(settings.Overrides, StringComparer.OrdinalIgnoreCase);
        if (settings.Verbose)
        {
            overrides["Logging:LogLevel:Default"] = "Information";
        }

        var configuration = builder.AddInMemoryCollection(overrides).Build();

        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddLogging(logging => logging
            .AddConfiguration(configuration.GetSection("Logging"))
            .AddSimpleConsole(o => o.SingleLine = true)
            .AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace));
        var codeDocSection = configuration.GetSection("CodeDoc");
        var codeDoc = services.AddCodeDoc(codeDocSection);
        ConfiguredProviders.Register(codeDoc, codeDocSection);
        configure?.Invoke(codeDoc);

        var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
        try
        {
            provider.GetService<IStartupValidator>()?.Validate();
        }
        catch
        {
            provider.Dispose();
            throw;
        }

        return provider;
    }
}
