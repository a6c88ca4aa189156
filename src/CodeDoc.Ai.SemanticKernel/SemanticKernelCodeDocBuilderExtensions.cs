using CodeDoc.Ai;
using CodeDoc.Ai.SemanticKernel;
using CodeDoc.Core;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.SemanticKernel;
using Microsoft.SemanticKernel.ChatCompletion;

namespace CodeDoc;

/// <summary>
/// Registers providers over a host's Semantic Kernel (kind <c>semantic-kernel</c>): the host builds the kernel or
/// chat service, CodeDoc puts its defaults, rate limits, error mapping and usage accounting around it. The factory
/// delegate receives CodeDoc's HTTP client for the instance: pass it to the connector (e.g.
/// <c>AddOpenAIChatCompletion(..., httpClient: http)</c>) so CodeDoc's resilience pipeline, proxy and error details
/// apply and the connector's own retries are off.
/// </summary>
public static class SemanticKernelCodeDocBuilderExtensions
{
    /// <summary>Registers a provider named <c>semantic-kernel</c> over a kernel the host builds.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="kernel">Builds the kernel from the application's services and CodeDoc's HTTP client for it.</param>
    /// <param name="configure">Sets the options.</param>
    /// <returns>The builder.</returns>
    public static ICodeDocBuilder AddSemanticKernel(this ICodeDocBuilder builder, Func<IServiceProvider, HttpClient, Kernel> kernel, Action<SemanticKernelOptions>? configure = null) =>
        AddSemanticKernel(builder, SemanticKernelProvider.Kind, kernel, configure);

    /// <summary>Registers a named provider over a kernel the host builds.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="name">The registration name; unique among AI providers.</param>
    /// <param name="kernel">Builds the kernel from the application's services and CodeDoc's HTTP client for it.</param>
    /// <param name="configure">Sets the options.</param>
    /// <returns>The builder.</returns>
    public static ICodeDocBuilder AddSemanticKernel(this ICodeDocBuilder builder, string name, Func<IServiceProvider, HttpClient, Kernel> kernel, Action<SemanticKernelOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(kernel);
        return Register(builder, name, $"CodeDoc:Ai:{name}", options => Configure(options, configure), (sp, http, serviceId) => SemanticKernelProvider.From(kernel(sp, http), serviceId));
    }

    /// <summary>Registers a named provider over a chat completion service the host builds.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="name">The registration name; unique among AI providers.</param>
    /// <param name="service">Builds the service from the application's services and CodeDoc's HTTP client for it.</param>
    /// <param name="configure">Sets the options.</param>
    /// <returns>The builder.</returns>
    public static ICodeDocBuilder AddSemanticKernel(this ICodeDocBuilder builder, string name, Func<IServiceProvider, HttpClient, IChatCompletionService> service, Action<SemanticKernelOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(service);
        return Register(builder, name, $"CodeDoc:Ai:{name}", options => Configure(options, configure), (sp, http, _) => SemanticKernelProvider.From(service(sp, http)));
    }

    /// <summary>Registers a named provider over a kernel the host builds, with options bound to a configuration section.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="name">The registration name; unique among AI providers.</param>
    /// <param name="section">The section holding <c>Vendor</c>, <c>Model</c>, <c>ContextWindowTokens</c> and the other options.</param>
    /// <param name="kernel">Builds the kernel from the application's services and CodeDoc's HTTP client for it.</param>
    /// <returns>The builder.</returns>
    public static ICodeDocBuilder AddSemanticKernel(this ICodeDocBuilder builder, string name, IConfigurationSection section, Func<IServiceProvider, HttpClient, Kernel> kernel)
    {
        ArgumentNullException.ThrowIfNull(section);
        ArgumentNullException.ThrowIfNull(kernel);
        return Register(builder, name, section.Path, options => options.Bind(section), (sp, http, serviceId) => SemanticKernelProvider.From(kernel(sp, http), serviceId));
    }

    /// <summary>
    /// Adapts a kernel's chat service to <see cref="IAiProvider"/> without dependency injection. The connector keeps
    /// its own HTTP client and retries; CodeDoc adds its defaults, rate limits, error mapping and usage accounting.
    /// </summary>
    /// <param name="kernel">The kernel.</param>
    /// <param name="name">The provider's name, for metadata and messages.</param>
    /// <param name="options">The options; defaults when <see langword="null"/>.</param>
    /// <param name="loggerFactory">The logger factory, if any.</param>
    /// <returns>The provider; dispose it to release its rate limiters (the kernel stays the host's).</returns>
    /// <exception cref="CodeDocConfigurationException">The options are invalid, or the kernel holds no chat service.</exception>
    public static IAiProvider AsAiProvider(this Kernel kernel, string name, SemanticKernelOptions? options = null, ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(kernel);
        options ??= new SemanticKernelOptions();
        return Adapt(name, options, SemanticKernelProvider.From(kernel, options.ServiceId), loggerFactory);
    }

    /// <summary>Adapts a chat completion service to <see cref="IAiProvider"/> without dependency injection.</summary>
    /// <param name="service">The service.</param>
    /// <param name="name">The provider's name, for metadata and messages.</param>
    /// <param name="options">The options; defaults when <see langword="null"/>.</param>
    /// <param name="loggerFactory">The logger factory, if any.</param>
    /// <returns>The provider; dispose it to release its rate limiters (the service stays the host's).</returns>
    /// <exception cref="CodeDocConfigurationException">The options are invalid.</exception>
    public static IAiProvider AsAiProvider(this IChatCompletionService service, string name, SemanticKernelOptions? options = null, ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(service);
        return Adapt(name, options ?? new SemanticKernelOptions(), SemanticKernelProvider.From(service), loggerFactory);
    }

    private static CodeDocAiProvider Adapt(string name, SemanticKernelOptions options, SemanticKernelProvider.ChatSource source, ILoggerFactory? loggerFactory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        var problems = SemanticKernelProvider.Validate(options, string.Empty).ToList();
        if (problems.Count > 0)
        {
            throw new CodeDocConfigurationException($"The options of Semantic Kernel AI provider '{name}' are invalid: {string.Join(" ", problems)}");
        }

        var limiters = new AiRateLimiters();
        var provider = SemanticKernelProvider.Build(name, options, source, new AiCredential(null, null, name), limiters, loggerFactory ?? NullLoggerFactory.Instance, null, string.Empty);
        provider.Own(limiters);
        return provider;
    }

    private static void Configure(OptionsBuilder<SemanticKernelOptions> options, Action<SemanticKernelOptions>? configure)
    {
        if (configure is not null)
        {
            options.Configure(configure);
        }
    }

    private static ICodeDocBuilder Register(
        ICodeDocBuilder builder, string name, string path, Action<OptionsBuilder<SemanticKernelOptions>> configure, Func<IServiceProvider, HttpClient, string?, SemanticKernelProvider.ChatSource> source)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        return AiProviderRegistration.Register(builder, name, path, configure, SemanticKernelProvider.Spec(source));
    }
}
