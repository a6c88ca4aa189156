using System.Collections.Concurrent;
using System.Text;
using CodeDoc.Core;
using CodeDoc.FakeServers;
using CodeDoc.FakeServers.Confluence;
using CodeDoc.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CodeDoc.Publishing.Confluence.Tests;

public sealed class ConfluenceCanaryTests
{
    private const string Canary = "canary-3c9e1f0a7b2d4e68a5f1c7d9e0b3a6f2";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData(FakeConfluenceMode.Cloud)]
    [InlineData(FakeConfluenceMode.DataCenter)]
    public async Task Publisher_TokenCanary_NeverAppearsInLogsErrorsTextsOrOtherHosts(FakeConfluenceMode mode)
    {
        await using var fake = await FakeConfluence.StartAsync(new FakeConfluenceOptions { Mode = mode, ApiToken = Canary, PersonalAccessToken = Canary });
        await using var elsewhere = await FakeHttpServer.StartAsync(app => app.Run(context => context.Response.WriteAsync("{}", Ct)));
        fake.AddSpace("DOC");
        var logs = new CapturingLoggerProvider();
        var texts = new List<string>();

        var (services, publisher) = ConfluenceTestSite.CreatePublisher(fake, "DOC", logging: b => b.AddProvider(logs));
        await using (services)
        {
            await publisher.PublishAsync(SampleDocumentSets.Basic(), null, Ct);
            texts.Add(publisher.ToString()!);
            texts.Add(publisher.Metadata.ToString());

            // A failing write and a redirect to another host.
            fake.Server.Faults.Respond(mode == FakeConfluenceMode.Cloud ? "/wiki/api/v2/pages" : "/rest/api/content", 500, "{\"message\":\"boom\"}", method: "POST");
            var failure = await Record.ExceptionAsync(() => publisher.PublishAsync(SampleDocumentSets.WithPage(SampleDocumentSets.Basic(), SampleDocumentSets.Page("faq", "FAQ", null, 9, "Q")), null, Ct));
            texts.Add(failure?.ToString() ?? string.Empty);
            fake.Server.Faults.Respond("/", 302, headers: new Dictionary<string, string> { ["Location"] = new Uri(elsewhere.BaseAddress, "stolen").AbsoluteUri });
            texts.Add((await Record.ExceptionAsync(() => publisher.ReadManifestAsync(SampleDocumentSets.Id, Ct)))?.ToString() ?? string.Empty);
        }

        // Rejected credentials: the message says which setting to check, without the value.
        var (badServices, badPublisher) = ConfluenceTestSite.CreatePublisher(fake, "DOC", o =>
        {
            o.Email = "someone-else@example.test";
            o.PersonalAccessToken = Canary + "-expired";
        }, b => b.AddProvider(logs));
        await using (badServices)
        {
            var check = await badPublisher.CheckAccessAsync(Ct);
            Assert.False(check.Succeeded);
            texts.AddRange(check.Problems.Select(p => p.Message));
            var rejected = await Assert.ThrowsAnyAsync<DocPublisherException>(() => badPublisher.PublishAsync(SampleDocumentSets.Basic(), null, Ct));
            Assert.Equal(System.Net.HttpStatusCode.Unauthorized, rejected.StatusCode);
            texts.Add(rejected.ToString());
        }

        var options = new ConfluenceOptions { ApiToken = Canary, PersonalAccessToken = Canary };
        texts.Add(options.ToString()!);

        var basic = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{fake.Options.Email}:{Canary}"));
        Assert.NotEmpty(logs.Lines);
        Assert.All(logs.Lines.Concat(texts), text =>
        {
            Assert.DoesNotContain(Canary, text, StringComparison.Ordinal);
            Assert.DoesNotContain(basic, text, StringComparison.Ordinal);
        });
        Assert.NotEmpty(elsewhere.Requests);
        Assert.All(elsewhere.Requests, r => Assert.DoesNotContain(Canary, string.Join('\n', r.Headers.Values) + r.BodyText, StringComparison.Ordinal));
        Assert.All(elsewhere.Requests, r => Assert.Null(r.Header("Authorization")));
    }

    private sealed class CapturingLoggerProvider : ILoggerProvider
    {
        private readonly ConcurrentQueue<string> _lines = new();

        public IReadOnlyCollection<string> Lines => _lines;

        public ILogger CreateLogger(string categoryName) => new Logger(_lines);

        public void Dispose()
        {
        }

        private sealed class Logger(ConcurrentQueue<string> lines) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                lines.Enqueue($"{logLevel} {formatter(state, exception)} {exception} {state}");
        }
    }
}
