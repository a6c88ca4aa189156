using CodeDoc.Core;
using CodeDoc.FakeServers.Confluence;
using CodeDoc.Testing;

namespace CodeDoc.Publishing.Confluence.Tests;

/// <summary>The publisher contract against a fake Confluence Cloud (REST v2, v1 for labels and uploads).</summary>
public sealed class ConfluenceCloudConformanceTests : DocPublisherConformanceTests
{
    private FakeConfluence? _fake;

    protected override string Kind => "confluence";

    protected override string InvalidOptionName => "CodeDoc:Confluence:SpaceKey";

    protected override void AddPublisher(ICodeDocBuilder builder, string name)
    {
        var key = ConfluenceTestSite.EnsureSpace(_fake!, name);
        builder.AddConfluence(name, o => ConfluenceTestSite.Configure(o, _fake!, key));
    }

    protected override void AddPublisherWithInvalidOptions(ICodeDocBuilder builder, string name) =>
        builder.AddConfluence(name, o =>
        {
            ConfluenceTestSite.Configure(o, _fake!, "DOC");
            o.SpaceKey = "not a key!";
        });

    protected override async ValueTask InitializeTargetAsync() => _fake = await FakeConfluence.StartAsync();

    protected override async ValueTask DisposeTargetAsync()
    {
        if (_fake is not null)
        {
            await _fake.DisposeAsync();
        }
    }
}

/// <summary>The publisher contract against a fake Confluence Data Center (REST v1 under a context path, personal access token).</summary>
public sealed class ConfluenceDataCenterConformanceTests : DocPublisherConformanceTests
{
    private FakeConfluence? _fake;

    protected override string Kind => "confluence";

    protected override string InvalidOptionName => "CodeDoc:Confluence:PersonalAccessToken";

    protected override void AddPublisher(ICodeDocBuilder builder, string name)
    {
        var key = ConfluenceTestSite.EnsureSpace(_fake!, name);
        builder.AddConfluence(name, o => ConfluenceTestSite.Configure(o, _fake!, key));
    }

    protected override void AddPublisherWithInvalidOptions(ICodeDocBuilder builder, string name) =>
        builder.AddConfluence(name, o =>
        {
            ConfluenceTestSite.Configure(o, _fake!, "DOC");
            o.PersonalAccessToken = null;
        });

    protected override async ValueTask InitializeTargetAsync() =>
        _fake = await FakeConfluence.StartAsync(new FakeConfluenceOptions { Mode = FakeConfluenceMode.DataCenter, ContextPath = "/confluence" });

    protected override async ValueTask DisposeTargetAsync()
    {
        if (_fake is not null)
        {
            await _fake.DisposeAsync();
        }
    }
}
