using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using CodeDoc.Core;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Xunit;

namespace CodeDoc.Testing;

/// <summary>A failure the target of an <see cref="AiProviderConformanceTests"/> suite is asked to answer the next model call with, in the vendor's own format.</summary>
public enum AiConformanceFault
{
    /// <summary>HTTP 429 with a <c>Retry-After</c> of one hour (longer than any provider waits).</summary>
    RateLimitedForAnHour,

    /// <summary>The vendor's "quota or credit exhausted" answer (e.g. OpenAI's <c>insufficient_quota</c>, Gemini's daily <c>RESOURCE_EXHAUSTED</c>).</summary>
    QuotaExceeded,

    /// <summary>The vendor's "overloaded" answer once (Anthropic 529, otherwise 503), then normal answers.</summary>
    OverloadedOnce,

    /// <summary>The vendor's "prompt is too long" answer, with the token counts the vendor includes.</summary>
    ContextTooLong,
}

/// <summary>
/// The contract every <see cref="IAiProvider"/> keeps, as tests. Derive from this class in the vendor package's test
/// project, point the provider at a fake of the vendor (or the real one) and script its answers; every fact runs
/// against it: registration, validation, cancellation, access checks, usage normalization (streamed usage counted
/// once), the error mapping, retries and the secret canary.
/// </summary>
/// <remarks>
/// xunit creates an instance per test; <see cref="InitializeTargetAsync"/> runs before each one, so a fresh fake per
/// test keeps scripted answers and request counts apart. Every fact is virtual, so a vendor that cannot meet one
/// for a documented reason can override it.
/// </remarks>
public abstract class AiProviderConformanceTests : IAsyncLifetime
{
    private const string FirstName = "conformance-a";
    private const string SecondName = "conformance-b";
    private const string Canary = "codedoc-canary-key-7f3c9a1e5b2d4068";

    private readonly List<ServiceProvider> _serviceProviders = [];

    /// <summary>Gets the kind the registrations report, e.g. <c>openai</c>.</summary>
    protected abstract string ProviderKind { get; }

    /// <summary>Gets the vendor the metadata reports (as in the price file), e.g. <c>openai</c>.</summary>
    protected abstract string Vendor { get; }

    /// <summary>Gets a model the target serves.</summary>
    protected abstract string ModelId { get; }

    /// <summary>Gets a key the target accepts.</summary>
    protected abstract string ValidKey { get; }

    /// <summary>Gets the field start-up validation names for the options of <see cref="AddProviderWithInvalidOptions"/>.</summary>
    protected abstract string InvalidOptionsField { get; }

    /// <summary>Gets the number of model calls (chat requests, not access probes) the target has received.</summary>
    protected abstract int ModelCallCount { get; }

    /// <summary>Gets a model the target does not serve.</summary>
    protected virtual string UnknownModelId => "codedoc-conformance-no-such-model";

    /// <summary>Gets a key the target rejects.</summary>
    protected virtual string RejectedKey => "codedoc-conformance-rejected-key";

    /// <summary>
    /// Gets the usage the scripted replies report, in CodeDoc's normalized form. The default has cached and reasoning
    /// tokens; vendors that do not report a count (no cache writes, no reasoning) override it with zeros there.
    /// </summary>
    protected virtual AiUsage SampleUsage => new(InputTokens: 1200, CachedInputTokens: 1000, CacheWriteTokens: 0, OutputTokens: 50, ReasoningTokens: 20);

    /// <summary>Gets the cancellation token of the running test.</summary>
    protected static CancellationToken TestCancellationToken => TestContext.Current.CancellationToken;

    /// <summary>Creates the builder providers are added to, usually with <c>services.AddCodeDoc()</c>.</summary>
    /// <param name="services">The services.</param>
    /// <returns>The builder.</returns>
    protected abstract ICodeDocBuilder CreateBuilder(IServiceCollection services);

    /// <summary>Registers the provider under a name with options that reach the target, with a given key and model.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="name">The registration name.</param>
    /// <param name="apiKey">The key.</param>
    /// <param name="modelId">The model.</param>
    protected abstract void AddProvider(ICodeDocBuilder builder, string name, string apiKey, string modelId);

    /// <summary>Registers the provider under a name with options that start-up validation rejects.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="name">The registration name.</param>
    protected abstract void AddProviderWithInvalidOptions(ICodeDocBuilder builder, string name);

    /// <summary>Makes the target answer the next model call with this text and usage, in the vendor's wire format and counting.</summary>
    /// <param name="text">The answer's text.</param>
    /// <param name="usage">The usage, normalized.</param>
    protected abstract void ScriptReply(string text, AiUsage usage);

    /// <summary>Makes the target answer the next model call with a failure.</summary>
    /// <param name="fault">The failure.</param>
    protected abstract void ScriptFault(AiConformanceFault fault);

    /// <summary>Starts the target (a fake server) before each test.</summary>
    /// <returns>A task.</returns>
    protected virtual ValueTask InitializeTargetAsync() => ValueTask.CompletedTask;

    /// <summary>Stops the target after each test.</summary>
    /// <returns>A task.</returns>
    protected virtual ValueTask DisposeTargetAsync() => ValueTask.CompletedTask;

    /// <inheritdoc />
    public async ValueTask InitializeAsync() => await InitializeTargetAsync().ConfigureAwait(false);

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        foreach (var serviceProvider in _serviceProviders)
        {
            await serviceProvider.DisposeAsync().ConfigureAwait(false);
        }

        _serviceProviders.Clear();
        await DisposeTargetAsync().ConfigureAwait(false);
        GC.SuppressFinalize(this);
    }

    /// <summary>The implementation is an internal detail: sealed and not public.</summary>
    [Fact]
    public virtual void Implementation_IsSealedAndNotPublic()
    {
        var type = CreateProvider(FirstName).GetType();

        Assert.True(type.IsSealed, $"{type.FullName} should be sealed.");
        Assert.False(type.IsPublic || type.IsNestedPublic, $"{type.FullName} should not be public; expose options and Add... methods instead.");
    }

    /// <summary>The metadata names the registration, the vendor and the model, with usable limits.</summary>
    [Fact]
    public virtual void Metadata_ReportsNameVendorModelAndLimits()
    {
        var metadata = CreateProvider(FirstName).Metadata;

        Assert.Equal(FirstName, metadata.Name);
        Assert.Equal(Vendor, metadata.Vendor, ignoreCase: true);
        Assert.Equal(ModelId, metadata.ModelId);
        Assert.True(metadata.ContextWindowTokens > 0, "The context window should be known.");
        Assert.InRange(metadata.MaxOutputTokens, 1, metadata.ContextWindowTokens - 1);
    }

    /// <summary>Two registrations under different names are distinct keyed services, each with its marker.</summary>
    [Fact]
    public virtual void TwoNames_ResolveAsDistinctKeyedServicesWithMarkers()
    {
        var services = new ServiceCollection();
        var builder = CreateBuilder(services);
        AddProvider(builder, FirstName, ValidKey, ModelId);
        AddProvider(builder, SecondName, ValidKey, ModelId);
        var serviceProvider = Track(services.BuildServiceProvider());
        serviceProvider.GetRequiredService<IStartupValidator>().Validate();

        var first = serviceProvider.GetRequiredKeyedService<IAiProvider>(FirstName);
        var second = serviceProvider.GetRequiredKeyedService<IAiProvider>(SecondName);

        Assert.NotSame(first, second);
        Assert.Same(first, serviceProvider.GetRequiredKeyedService<IAiProvider>(FirstName));
        Assert.Equal((FirstName, SecondName), (first.Metadata.Name, second.Metadata.Name));
        var markers = serviceProvider.GetServices<ProviderRegistration>().Where(r => r.Category == ProviderCategory.Ai).ToList();
        Assert.Contains(markers, r => r.Name == FirstName && string.Equals(r.Kind, ProviderKind, StringComparison.OrdinalIgnoreCase));
        Assert.Contains(markers, r => r.Name == SecondName && string.Equals(r.Kind, ProviderKind, StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>Invalid options fail at start, naming the field.</summary>
    [Fact]
    public virtual void StartupValidation_InvalidOptions_ThrowsNamingField()
    {
        var services = new ServiceCollection();
        AddProviderWithInvalidOptions(CreateBuilder(services), FirstName);
        var serviceProvider = Track(services.BuildServiceProvider());

        var error = Assert.Throws<OptionsValidationException>(() => serviceProvider.GetRequiredService<IStartupValidator>().Validate());

        Assert.Contains(InvalidOptionsField, error.Message, StringComparison.Ordinal);
    }

    /// <summary>Null arguments are rejected.</summary>
    /// <returns>A task.</returns>
    [Fact]
    public virtual async Task Members_NullArguments_ThrowArgumentException()
    {
        var provider = CreateProvider(FirstName);

        Assert.ThrowsAny<ArgumentException>(() => provider.GetUsage(null!));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => provider.ChatClient.GetResponseAsync((IEnumerable<ChatMessage>)null!, cancellationToken: TestCancellationToken));
    }

    /// <summary>A token cancelled before the call stops every async member, and no model call is made.</summary>
    /// <returns>A task.</returns>
    [Fact]
    public virtual async Task AsyncMembers_PreCancelledToken_ThrowOperationCanceledWithoutCalling()
    {
        var provider = CreateProvider(FirstName);
        using var cancellation = new CancellationTokenSource();
        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => provider.CheckAccessAsync(cancellation.Token));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => provider.ChatClient.GetResponseAsync("Hello", cancellationToken: cancellation.Token));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => provider.ChatClient.GetStreamingResponseAsync("Hello", cancellationToken: cancellation.Token).ToChatResponseAsync(cancellation.Token));
        Assert.Equal(0, ModelCallCount);
    }

    /// <summary>The access check of a working configuration passes.</summary>
    /// <returns>A task.</returns>
    [Fact]
    public virtual async Task CheckAccess_ValidConfiguration_Succeeds()
    {
        var result = await CreateProvider(FirstName).CheckAccessAsync(TestCancellationToken);

        Assert.True(result.Succeeded, Describe(result));
    }

    /// <summary>The access check of a rejected key fails on the credentials, as a result rather than an exception.</summary>
    /// <returns>A task.</returns>
    [Fact]
    public virtual async Task CheckAccess_RejectedKey_FailsOnCredentials()
    {
        var result = await CreateProvider(FirstName, RejectedKey).CheckAccessAsync(TestCancellationToken);

        Assert.False(result.Succeeded);
        Assert.Contains(result.Problems, p => p.Name == "credentials");
    }

    /// <summary>The access check of an unknown model fails on the model, naming it.</summary>
    /// <returns>A task.</returns>
    [Fact]
    public virtual async Task CheckAccess_UnknownModel_FailsOnModelNamingIt()
    {
        var result = await CreateProvider(FirstName, modelId: UnknownModelId).CheckAccessAsync(TestCancellationToken);

        Assert.False(result.Succeeded);
        var problem = Assert.Single(result.Problems);
        Assert.Equal("model", problem.Name);
        Assert.Contains(UnknownModelId, problem.Message, StringComparison.Ordinal);
    }

    /// <summary>An answer's text and its usage, normalized (input with cached tokens, output with reasoning).</summary>
    /// <returns>A task.</returns>
    [Fact]
    public virtual async Task GetResponse_ScriptedReply_ReturnsTextAndNormalizedUsage()
    {
        var provider = CreateProvider(FirstName);
        ScriptReply("# Overview\nThe repository builds documentation.", SampleUsage);

        var response = await provider.ChatClient.GetResponseAsync("Document this repository.", cancellationToken: TestCancellationToken);

        Assert.Equal("# Overview\nThe repository builds documentation.", response.Text);
        Assert.Equal(SampleUsage, provider.GetUsage(response));
    }

    /// <summary>A streamed answer has the same text and usage, counted once however the vendor repeats it.</summary>
    /// <returns>A task.</returns>
    [Fact]
    public virtual async Task GetStreamingResponse_ScriptedReply_UsageCountedOnce()
    {
        var provider = CreateProvider(FirstName);
        ScriptReply("# Overview\nStreamed in several pieces.", SampleUsage);

        var response = await provider.ChatClient.GetStreamingResponseAsync("Document this repository.", cancellationToken: TestCancellationToken).ToChatResponseAsync(TestCancellationToken);

        Assert.Equal("# Overview\nStreamed in several pieces.", response.Text);
        Assert.Equal(SampleUsage, provider.GetUsage(response));
    }

    /// <summary>A rejected key is an authentication error naming the registration.</summary>
    /// <returns>A task.</returns>
    [Fact]
    public virtual async Task GetResponse_RejectedKey_ThrowsAuthentication()
    {
        var provider = CreateProvider(FirstName, RejectedKey);

        var error = await Assert.ThrowsAsync<AiProviderAuthenticationException>(() => provider.ChatClient.GetResponseAsync("Hello", cancellationToken: TestCancellationToken));

        Assert.Equal(FirstName, error.ProviderName);
        Assert.DoesNotContain(RejectedKey, error.ToString(), StringComparison.Ordinal);
    }

    /// <summary>An unknown model is a not-found error naming the model.</summary>
    /// <returns>A task.</returns>
    [Fact]
    public virtual async Task GetResponse_UnknownModel_ThrowsNotFoundNamingModel()
    {
        var provider = CreateProvider(FirstName, modelId: UnknownModelId);

        var error = await Assert.ThrowsAsync<AiProviderNotFoundException>(() => provider.ChatClient.GetResponseAsync("Hello", cancellationToken: TestCancellationToken));

        Assert.Contains(UnknownModelId, error.Message, StringComparison.Ordinal);
    }

    /// <summary>A rate limit longer than the provider waits is a rate-limit error carrying the wait.</summary>
    /// <returns>A task.</returns>
    [Fact]
    public virtual async Task GetResponse_RateLimitedForAnHour_ThrowsRateLimitedWithRetryAfter()
    {
        var provider = CreateProvider(FirstName);
        ScriptFault(AiConformanceFault.RateLimitedForAnHour);

        var error = await Assert.ThrowsAsync<AiProviderRateLimitedException>(() => provider.ChatClient.GetResponseAsync("Hello", cancellationToken: TestCancellationToken));

        Assert.Equal(TimeSpan.FromHours(1), error.RetryAfter);
        Assert.True(error.IsTransient);
        Assert.Equal(1, ModelCallCount);
    }

    /// <summary>An exhausted quota is a quota error, and is never retried.</summary>
    /// <returns>A task.</returns>
    [Fact]
    public virtual async Task GetResponse_QuotaExceeded_ThrowsQuotaExceededWithoutRetrying()
    {
        var provider = CreateProvider(FirstName);
        ScriptFault(AiConformanceFault.QuotaExceeded);

        var error = await Assert.ThrowsAsync<AiProviderQuotaExceededException>(() => provider.ChatClient.GetResponseAsync("Hello", cancellationToken: TestCancellationToken));

        Assert.False(error.IsTransient);
        Assert.Equal(1, ModelCallCount);
    }

    /// <summary>An overloaded vendor is retried, and the retry's answer is returned.</summary>
    /// <returns>A task.</returns>
    [Fact]
    public virtual async Task GetResponse_OverloadedOnce_RetriedAndAnswered()
    {
        var provider = CreateProvider(FirstName);
        ScriptFault(AiConformanceFault.OverloadedOnce);
        ScriptReply("Answered after the retry.", SampleUsage);

        var response = await provider.ChatClient.GetResponseAsync("Hello", cancellationToken: TestCancellationToken);

        Assert.Equal("Answered after the retry.", response.Text);
        Assert.Equal(2, ModelCallCount);
    }

    /// <summary>A prompt over the context window is its own error, carrying the token counts the vendor gave.</summary>
    /// <returns>A task.</returns>
    [Fact]
    public virtual async Task GetResponse_ContextTooLong_ThrowsWithTokenCounts()
    {
        var provider = CreateProvider(FirstName);
        ScriptFault(AiConformanceFault.ContextTooLong);

        var error = await Assert.ThrowsAsync<AiProviderContextTooLongException>(() => provider.ChatClient.GetResponseAsync("Hello", cancellationToken: TestCancellationToken));

        Assert.NotNull(error.PromptTokens);
        Assert.NotNull(error.ContextWindowTokens);
        Assert.True(error.PromptTokens > error.ContextWindowTokens);
    }

    /// <summary>A key set to a canary string never shows in logs (all levels), exception text, <c>ToString()</c> or telemetry.</summary>
    /// <returns>A task.</returns>
    [Fact]
    public virtual async Task Secrets_CanaryKey_NeverInLogsExceptionsStringsOrTelemetry()
    {
        var seen = new ConcurrentBag<string>();
        using var activities = new ActivityListener
        {
            ShouldListenTo = _ => true,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity =>
            {
                seen.Add(activity.DisplayName);
                foreach (var tag in activity.TagObjects)
                {
                    seen.Add($"{tag.Key}={tag.Value}");
                }

                foreach (var activityEvent in activity.Events)
                {
                    seen.Add(activityEvent.Name);
                    foreach (var tag in activityEvent.Tags)
                    {
                        seen.Add($"{tag.Key}={tag.Value}");
                    }
                }
            },
        };
        ActivitySource.AddActivityListener(activities);
        using var meters = new MeterListener { InstrumentPublished = (instrument, listener) => listener.EnableMeasurementEvents(instrument) };
        meters.SetMeasurementEventCallback<long>((_, _, tags, _) => RecordTags(seen, tags));
        meters.SetMeasurementEventCallback<double>((_, _, tags, _) => RecordTags(seen, tags));
        meters.SetMeasurementEventCallback<int>((_, _, tags, _) => RecordTags(seen, tags));
        meters.Start();

        var logs = new CapturingLoggerProvider();
        var services = new ServiceCollection();
        services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Trace).AddProvider(logs));
        var builder = CreateBuilder(services);
        AddProvider(builder, FirstName, Canary, ModelId);
        var serviceProvider = Track(services.BuildServiceProvider());
        var provider = serviceProvider.GetRequiredKeyedService<IAiProvider>(FirstName);

        var failure = await Record.ExceptionAsync(() => provider.ChatClient.GetResponseAsync("Hello", cancellationToken: TestCancellationToken));
        var streamFailure = await Record.ExceptionAsync(() => provider.ChatClient.GetStreamingResponseAsync("Hello", cancellationToken: TestCancellationToken).ToChatResponseAsync(TestCancellationToken));
        var check = await provider.CheckAccessAsync(TestCancellationToken);

        Assert.NotNull(failure);
        Assert.NotEmpty(logs.Messages);
        var texts = new List<string> { failure.ToString(), streamFailure?.ToString() ?? string.Empty, provider.ToString() ?? string.Empty, provider.Metadata.ToString(), Describe(check) };
        texts.AddRange(logs.Messages);
        texts.AddRange(seen);
        Assert.DoesNotContain(texts, text => text.Contains(Canary, StringComparison.Ordinal));
    }

    /// <summary>Builds a service provider with the provider registered under a name, and resolves it.</summary>
    /// <param name="name">The registration name.</param>
    /// <param name="apiKey">The key; the valid one when omitted.</param>
    /// <param name="modelId">The model; the served one when omitted.</param>
    /// <returns>The provider.</returns>
    protected IAiProvider CreateProvider(string name, string? apiKey = null, string? modelId = null)
    {
        var services = new ServiceCollection();
        AddProvider(CreateBuilder(services), name, apiKey ?? ValidKey, modelId ?? ModelId);
        return Track(services.BuildServiceProvider()).GetRequiredKeyedService<IAiProvider>(name);
    }

    private static void RecordTags(ConcurrentBag<string> seen, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        foreach (var tag in tags)
        {
            seen.Add($"{tag.Key}={tag.Value}");
        }
    }

    private static string Describe(AccessCheckResult result) =>
        string.Join(Environment.NewLine, result.Checks.Select(c => $"{(c.Passed ? "ok" : "FAIL")} {c.Name}: {c.Message}"));

    private ServiceProvider Track(ServiceProvider serviceProvider)
    {
        _serviceProviders.Add(serviceProvider);
        return serviceProvider;
    }

    private sealed class CapturingLoggerProvider : ILoggerProvider
    {
        public ConcurrentQueue<string> Messages { get; } = new();

        public ILogger CreateLogger(string categoryName) => new CapturingLogger(this, categoryName);

        public void Dispose()
        {
        }

        private sealed class CapturingLogger(CapturingLoggerProvider owner, string category) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull
            {
                owner.Messages.Enqueue($"{category} scope: {state}");
                return null;
            }

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                var properties = state is IEnumerable<KeyValuePair<string, object?>> pairs ? string.Join(", ", pairs.Select(p => $"{p.Key}={p.Value}")) : string.Empty;
                owner.Messages.Enqueue($"{logLevel} {category}: {formatter(state, exception)} [{properties}] {exception}");
            }
        }
    }
}
