using System.Collections.Concurrent;
using CodeDoc.Core;
using CodeDoc.FakeServers.GitHub;
using CodeDoc.Git.GitHub;
using CodeDoc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CodeDoc.Git.GitHub.Tests;

/// <summary>A fake GitHub over a repository plus a service provider with a GitHub provider pointed at it.</summary>
internal sealed class GitHubTestHost : IAsyncDisposable
{
    // Built at run time so no scanner mistakes the test source for a leaked credential.
    public static readonly string Token = "ghp_" + "TestTokenForTheFakeGitHub0001";

    private readonly ServiceProvider _services;

    private GitHubTestHost(FakeGitHub fake, ServiceProvider services, LogCapture logs)
    {
        Fake = fake;
        _services = services;
        Logs = logs;
        Provider = services.GetRequiredKeyedService<IGitProvider>("gh");
    }

    public FakeGitHub Fake { get; }

    public IGitProvider Provider { get; }

    public LogCapture Logs { get; }

    public IServiceProvider Services => _services;

    /// <summary>The repository as users paste it: github.com, or the fake's web address for GitHub Enterprise Server.</summary>
    public RepositoryReference Repository(string? location = null)
    {
        var url = location ?? (Fake.ApiBaseAddress.AbsolutePath.Contains("/api/v3", StringComparison.Ordinal)
            ? Fake.RepositoryUrl
            : $"https://github.com/{SampleRepository.Owner}/{SampleRepository.Name}");
        Assert.True(Provider.TryParseRepository(url, out var repository), $"'{url}' should parse");
        return repository;
    }

    /// <summary>Starts a fake and a provider; github.com-style unless the fake is an Enterprise Server.</summary>
    public static async Task<GitHubTestHost> StartAsync(
        TemporaryGitRepository repository,
        Action<FakeGitHubOptions>? fake = null,
        Action<GitHubOptions>? provider = null,
        Action<IServiceCollection>? services = null)
    {
        var fakeOptions = new FakeGitHubOptions { Owner = SampleRepository.Owner, Name = SampleRepository.Name };
        fakeOptions.Tokens.Add(Token);
        fake?.Invoke(fakeOptions);
        var server = await FakeGitHub.StartAsync(repository, fakeOptions);
        var logs = new LogCapture();
        var collection = new ServiceCollection();
        collection.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Trace).AddProvider(logs));
        services?.Invoke(collection);
        collection.AddCodeDoc().AddGitHub("gh", o =>
        {
            if (fakeOptions.Enterprise)
            {
                o.BaseAddress = server.WebBaseAddress;
            }
            else
            {
                o.ApiBaseAddress = server.ApiBaseAddress;
            }

            o.Token = Token;
            o.Http.RetryBaseDelay = TimeSpan.FromMilliseconds(10);
            if (fakeOptions.Server.Https)
            {
                o.Http.TrustedCaCertificateFiles.Add(server.Api.CaCertificatePath!);
                o.Http.TrustedCaCertificateFiles.Add(server.Codeload.CaCertificatePath!);
            }

            provider?.Invoke(o);
        });
        var built = collection.BuildServiceProvider();
        return new GitHubTestHost(server, built, logs);
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

    public IReadOnlyList<string> Messages => [.. _messages];

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
