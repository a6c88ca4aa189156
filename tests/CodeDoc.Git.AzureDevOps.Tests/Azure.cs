using System.Text;
using CodeDoc.Core;
using CodeDoc.FakeServers.Git;
using CodeDoc.FakeServers.Git.AzureDevOps;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CodeDoc.Git.AzureDevOps.Tests;

/// <summary>Builds providers against the fake, the way an application registers them.</summary>
internal static class Azure
{
    public const string Pat = "azure-pat-5d2c";

    public static string BasicFor(string pat) => "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes(":" + pat));

    public static void Server(AzureDevOpsOptions options, FakeAzureDevOps fake)
    {
        options.BaseAddress = fake.BaseAddress;
        options.ApiVersion = "7.0";
        options.Token = Pat;
    }

    public static (IGitProvider Provider, ServiceProvider Services) Create(Action<AzureDevOpsOptions> configure, CapturedLogs? logs = null, TimeProvider? time = null)
    {
        var services = new ServiceCollection();
        if (logs is not null)
        {
            services.AddLogging(l => l.AddProvider(logs).SetMinimumLevel(LogLevel.Trace));
        }

        if (time is not null)
        {
            services.AddSingleton(time);
        }

        services.AddCodeDoc().AddAzureDevOps("ado", configure);
        var built = services.BuildServiceProvider();
        return (built.GetRequiredKeyedService<IGitProvider>("ado"), built);
    }

    public static RepositoryReference Parse(IGitProvider provider, string location)
    {
        Assert.True(provider.TryParseRepository(location, out var repository), location);
        return repository;
    }
}
