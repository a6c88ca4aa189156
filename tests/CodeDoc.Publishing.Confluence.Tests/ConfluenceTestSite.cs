using CodeDoc.Core;
using System.Globalization;
using CodeDoc.FakeServers.Confluence;
using CodeDoc.Publishing.Confluence;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CodeDoc.Publishing.Confluence.Tests;

/// <summary>Registers Confluence publishers against a fake Confluence, one space per registration name.</summary>
internal static class ConfluenceTestSite
{
    /// <summary>Builds the space key of a registration name (letters and digits of the name, upper case).</summary>
    /// <param name="name">The registration name.</param>
    /// <returns>The key.</returns>
    public static string SpaceKeyOf(string name) =>
        string.Concat(name.Where(char.IsAsciiLetterOrDigit)).ToUpper(CultureInfo.InvariantCulture);

    /// <summary>Sets options that reach the fake with its credentials; the space must exist.</summary>
    /// <param name="options">The options.</param>
    /// <param name="fake">The fake.</param>
    /// <param name="spaceKey">The space key.</param>
    public static void Configure(ConfluenceOptions options, FakeConfluence fake, string spaceKey)
    {
        options.BaseAddress = fake.SiteAddress;
        options.SpaceKey = spaceKey;
        options.Http.RetryBaseDelay = TimeSpan.FromMilliseconds(10);
        if (fake.Options.Mode == FakeConfluenceMode.Cloud)
        {
            options.Deployment = ConfluenceDeployment.Cloud;
            options.Email = fake.Options.Email;
            options.ApiToken = fake.Options.ApiToken;
        }
        else
        {
            options.Deployment = ConfluenceDeployment.DataCenter;
            options.PersonalAccessToken = fake.Options.PersonalAccessToken;
        }
    }

    /// <summary>Adds the space of a name when the fake does not have it yet.</summary>
    /// <param name="fake">The fake.</param>
    /// <param name="name">The registration name.</param>
    /// <returns>The space key.</returns>
    public static string EnsureSpace(FakeConfluence fake, string name)
    {
        var key = SpaceKeyOf(name);
        if (fake.Pages(key).Count == 0)
        {
            fake.AddSpace(key, name);
        }

        return key;
    }

    /// <summary>Builds a publisher for a fake space through the public registration.</summary>
    /// <param name="fake">The fake.</param>
    /// <param name="spaceKey">The space key.</param>
    /// <param name="configure">Changes the options further.</param>
    /// <param name="logging">Adds logging providers.</param>
    /// <returns>The services (dispose them) and the publisher.</returns>
    public static (ServiceProvider Services, IDocPublisher Publisher) CreatePublisher(
        FakeConfluence fake, string spaceKey, Action<ConfluenceOptions>? configure = null, Action<ILoggingBuilder>? logging = null)
    {
        var services = new ServiceCollection();
        services.AddLogging(b =>
        {
            b.SetMinimumLevel(LogLevel.Trace);
            logging?.Invoke(b);
        });
        new TestCodeDocBuilder(services).AddConfluence("wiki", o =>
        {
            Configure(o, fake, spaceKey);
            configure?.Invoke(o);
        });
        var provider = services.BuildServiceProvider();
        return (provider, provider.GetRequiredKeyedService<IDocPublisher>("wiki"));
    }
}

/// <summary>A bare builder over a service collection.</summary>
/// <param name="services">The services.</param>
internal sealed class TestCodeDocBuilder(IServiceCollection services) : ICodeDocBuilder
{
    public IServiceCollection Services { get; } = services;
}
