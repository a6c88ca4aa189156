using CodeDoc.Core;
using CodeDoc.FakeServers.Git;
using CodeDoc.FakeServers.Git.Bitbucket;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CodeDoc.Git.Bitbucket.Tests;

/// <summary>Builds providers against the fakes, the way an application registers them.</summary>
internal static class Bitbucket
{
    public const string CloudToken = "cloud-access-token-7f3a";
    public const string DataCenterToken = "dc-http-token-91bd";

    public static void Cloud(BitbucketOptions options, FakeBitbucketCloud fake)
    {
        options.BaseAddress = fake.WebAddress;
        options.ApiAddress = fake.ApiAddress;
        options.Deployment = BitbucketDeployment.Cloud;
        options.Token = CloudToken;
    }

    public static void DataCenter(BitbucketOptions options, FakeBitbucketDataCenter fake)
    {
        options.BaseAddress = fake.BaseAddress;
        options.Token = DataCenterToken;
    }

    /// <summary>Builds a provider from a service collection with the given options, logs captured.</summary>
    public static (IGitProvider Provider, ServiceProvider Services) Create(Action<BitbucketOptions> configure, CapturedLogs? logs = null, TimeProvider? time = null)
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

        services.AddCodeDoc().AddBitbucket("bb", configure);
        var built = services.BuildServiceProvider();
        return (built.GetRequiredKeyedService<IGitProvider>("bb"), built);
    }

    public static RepositoryReference Parse(IGitProvider provider, string location)
    {
        Assert.True(provider.TryParseRepository(location, out var repository), location);
        return repository;
    }
}
