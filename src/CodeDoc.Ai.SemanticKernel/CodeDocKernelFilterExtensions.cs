using CodeDoc.Ai.SemanticKernel;
using CodeDoc.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.SemanticKernel;

namespace CodeDoc;

/// <summary>
/// Wires CodeDoc into a Semantic Kernel: a prompt-render filter that redacts secrets from every rendered prompt with
/// <see cref="ISecretRedactor"/>, and a function-invocation filter that writes every kernel function call to
/// <see cref="IAuditSink"/>.
/// </summary>
public static class CodeDocKernelFilterExtensions
{
    /// <summary>
    /// Adds CodeDoc's filters to a kernel builder. They are resolved from the kernel's services, which must hold an
    /// <see cref="ISecretRedactor"/> and an <see cref="IAuditSink"/> (e.g. <c>builder.Services.AddSingleton(app.GetRequiredService&lt;ISecretRedactor&gt;())</c>).
    /// </summary>
    /// <param name="builder">The kernel builder.</param>
    /// <param name="actor">The actor recorded on audit events.</param>
    /// <returns>The builder.</returns>
    public static IKernelBuilder AddCodeDocFilters(this IKernelBuilder builder, string actor = "system")
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(actor);
        builder.Services.AddSingleton<IPromptRenderFilter>(sp => new SecretRedactionPromptFilter(
            sp.GetRequiredService<ISecretRedactor>(),
            (sp.GetService<ILoggerFactory>() ?? NullLoggerFactory.Instance).CreateLogger<SecretRedactionPromptFilter>()));
        builder.Services.AddSingleton<IFunctionInvocationFilter>(sp => new AuditFunctionInvocationFilter(
            sp.GetRequiredService<IAuditSink>(),
            sp.GetService<TimeProvider>() ?? TimeProvider.System,
            actor));
        return builder;
    }

    /// <summary>Adds CodeDoc's filters to a built kernel.</summary>
    /// <param name="kernel">The kernel.</param>
    /// <param name="redactor">The redactor applied to every rendered prompt.</param>
    /// <param name="auditSink">Where function invocations are recorded.</param>
    /// <param name="actor">The actor recorded on audit events.</param>
    /// <param name="loggerFactory">The logger factory, if any.</param>
    /// <param name="timeProvider">The clock; the system clock when <see langword="null"/>.</param>
    /// <returns>The kernel.</returns>
    public static Kernel AddCodeDocFilters(
        this Kernel kernel, ISecretRedactor redactor, IAuditSink auditSink, string actor = "system", ILoggerFactory? loggerFactory = null, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(kernel);
        ArgumentNullException.ThrowIfNull(redactor);
        ArgumentNullException.ThrowIfNull(auditSink);
        ArgumentException.ThrowIfNullOrWhiteSpace(actor);
        kernel.PromptRenderFilters.Add(new SecretRedactionPromptFilter(redactor, (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger<SecretRedactionPromptFilter>()));
        kernel.FunctionInvocationFilters.Add(new AuditFunctionInvocationFilter(auditSink, timeProvider ?? TimeProvider.System, actor));
        return kernel;
    }
}
