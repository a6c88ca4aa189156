using System.Collections.Concurrent;
using CodeDoc.Core;
using CodeDoc.FakeServers.GitLab;
using CodeDoc.Git.GitLab;
using CodeDoc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CodeDoc.Git.GitLab.Tests;

/// <summary>A fake GitLab over a repository plus a service provider with a GitLab provider pointed at it.</summary>
internal sealed class GitLabTestHost : IAsyncDisposable
{
    // Built at run time so no scanner mistakes the test source for a leaked credential.
    public static readonly string Token = "glpat-" + "TestTokenForTheFakeGitLab01";

    private readonly ServiceProvider _services;

    private GitLabTestHost(FakeGitLab fake, ServiceProvider services, LogCapture logs)
    {
        Fake = fake;
        _services = services;
        Logs = logs;
        Provider = services.GetRequiredKeyedService<IGitProvider>("gl");
    }

    public FakeGitLab Fake { get; }

    public IGitProvider Provider { get; }

    public LogCapture Logs { get; }

    public IServiceProvider Services => _services;

    /// <summary>The project as users paste it: its web URL on the fake, unless another location is given.</summary>
    public RepositoryReference Repository(string? location = null)
    {
        var url = location ?? Fake.ProjectUrl;
        Assert.True(Provider.TryParseRepository(url, out var repository), $"'{url}' should parse");
        return repository;
    }

    /// <summary>Starts a fake and a provider whose base address is the fake's web address.</summary>
    public static async Task<GitLabTestHost> StartAsync(
        TemporaryGitRepository repository,
        Action<FakeGitLabOptions>? fake = null,
        Action<GitLabOptions>? provider = null,
        Action<IServiceCollection>? services = null)
    {
        var fakeOptions = new FakeGitLabOptions { ProjectPath = SampleRepository.ProjectPath };
        fakeOptions.Tokens[Token] = ["read_api"];
        fake?.Invoke(fakeOptions);
        var server = await FakeGitLab.StartAsync(repository, fakeOptions);
        var logs = new LogCapture();
        var collection = new ServiceCollection();
        collection.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Trace).AddProvider(logs));
        services?.Invoke(collection);
        collection.AddCodeDoc().AddGitLab("gl", o =>
        {
            o.BaseAddress = server.WebBaseAddress;
            o.Token = Token;
            o.Http.RetryBaseDelay = TimeSpan.FromMilliseconds(10);
            if (fakeOptions.Server.Https)
            {
                o.Http.TrustedCaCertificateFiles.Add(server.Server.CaCertificatePath!);
                o.Http.TrustedCaCertificateFiles.Add(server.Storage.CaCertificatePath!);
            }

            provider?.Invoke(o);
        });
        return new GitLabTestHost(server, collection.BuildServiceProvider(), logs);
    }

    public async ValueTask DisposeAsync()
    {
        await _services.DisposeAsync();
        await Fake.DisposeAsync();
    }
}

/// <summary>Captures every log message at every level, to check that no secret is ever written.</summary>
internal sealed class LogCapture : ILoggerProvider
{
    private readonly ConcurrentQueue<string> _messages = new();

    public string All => string.Join(Environment.NewLine, _messages);

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose()
    {
    }

    private sealed class Logger(LogCapture owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var properties = state is IEnumerable<KeyValuePair<string, object?>> pairs ? string.Join(";", pairs.Select(p => $"{p.Key}={p.Value}")) : string.Empty;
            owner._messages.Enqueue($"{logLevel} {category} {formatter(state, exception)} {properties} {exception}");
        }
    }
}
