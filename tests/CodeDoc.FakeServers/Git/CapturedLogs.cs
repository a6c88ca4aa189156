using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace CodeDoc.FakeServers.Git;

/// <summary>A logger provider that keeps every message at every level, with its exception, for assertions (canary tests).</summary>
public sealed class CapturedLogs : ILoggerProvider
{
    private readonly ConcurrentQueue<string> _entries = new();

    /// <summary>Gets the formatted messages (with exceptions and state values), in order.</summary>
    public IReadOnlyList<string> Entries => [.. _entries];

    /// <summary>Gets all entries as one text.</summary>
    public string Text => string.Join(Environment.NewLine, _entries);

    /// <inheritdoc />
    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    /// <inheritdoc />
    public void Dispose()
    {
    }

    private sealed class Logger(CapturedLogs owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var values = state is IEnumerable<KeyValuePair<string, object?>> pairs ? string.Join("; ", pairs.Select(p => $"{p.Key}={p.Value}")) : string.Empty;
            owner._entries.Enqueue($"{logLevel} {category} [{eventId.Id}] {formatter(state, exception)} {{{values}}} {exception}");
        }
    }
}
