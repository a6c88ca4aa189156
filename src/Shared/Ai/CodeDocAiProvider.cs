using CodeDoc.Core;
using Microsoft.Extensions.AI;

namespace CodeDoc.Ai;

/// <summary>
/// An <see cref="IAiProvider"/> built from a vendor's chat client pipeline and its access probe. Every vendor package
/// compiles this same class, so metadata, usage and access checks behave identically everywhere.
/// </summary>
internal sealed class CodeDocAiProvider : IAiProvider, IDisposable
{
    private readonly Func<CancellationToken, Task<string>> _probe;
    private readonly AiErrorContext _context;
    private readonly Func<AiProviderMetadata> _metadata;
    private IDisposable? _owned;

    /// <summary>Initializes a new instance of the <see cref="CodeDocAiProvider"/> class.</summary>
    /// <param name="metadata">The metadata.</param>
    /// <param name="chatClient">The chat client pipeline.</param>
    /// <param name="probe">
    /// One small call that proves key, model and reachability (a model lookup where the vendor has one); returns what
    /// it found about the model. It throws the Core exceptions.
    /// </param>
    /// <param name="context">Who this is, for errors.</param>
    public CodeDocAiProvider(AiProviderMetadata metadata, IChatClient chatClient, Func<CancellationToken, Task<string>> probe, AiErrorContext context)
        : this(() => metadata, chatClient, probe, context)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="CodeDocAiProvider"/> class whose metadata can become more precise after start (a limit the server reports on first contact).</summary>
    /// <param name="metadata">Returns the current metadata.</param>
    /// <param name="chatClient">The chat client pipeline.</param>
    /// <param name="probe">One small call that proves key, model and reachability; returns what it found about the model.</param>
    /// <param name="context">Who this is, for errors.</param>
    public CodeDocAiProvider(Func<AiProviderMetadata> metadata, IChatClient chatClient, Func<CancellationToken, Task<string>> probe, AiErrorContext context)
    {
        _metadata = metadata;
        ChatClient = chatClient;
        _probe = probe;
        _context = context;
    }

    /// <inheritdoc />
    public AiProviderMetadata Metadata => _metadata();

    /// <inheritdoc />
    public IChatClient ChatClient { get; }

    /// <summary>Hands over resources the provider owns (a private service provider built by a factory).</summary>
    /// <param name="owned">The resources.</param>
    public void Own(IDisposable owned) => _owned = owned;

    /// <inheritdoc />
    public async Task<AccessCheckResult> CheckAccessAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var endpoint = Metadata.Endpoint is { } uri ? EndpointRules.SafeDisplay(uri) : "the vendor";
        var reached = new AccessCheckItem("endpoint", true, $"{endpoint} answered.");
        try
        {
            var found = await _probe(cancellationToken).ConfigureAwait(false);
            return AccessCheckResult.From(
                reached,
                new AccessCheckItem("credentials", true, _context.Credential.IsEmpty ? "No key is configured and none was asked for." : "The key was accepted."),
                new AccessCheckItem("model", true, found));
        }
        catch (AiProviderAuthenticationException ex)
        {
            return AccessCheckResult.From(reached, new AccessCheckItem("credentials", false, ex.Message));
        }
        catch (AiProviderNotFoundException ex)
        {
            return AccessCheckResult.From(reached, new AccessCheckItem("credentials", true, "The key was accepted."), new AccessCheckItem("model", false, ex.Message));
        }
        catch (AiProviderQuotaExceededException ex)
        {
            return AccessCheckResult.From(reached, new AccessCheckItem("credentials", true, "The key was accepted."), new AccessCheckItem("quota", false, ex.Message));
        }
        catch (AiProviderRateLimitedException ex)
        {
            return AccessCheckResult.From(
                reached,
                new AccessCheckItem("credentials", true, "The key was accepted."),
                new AccessCheckItem("rate limit", false, ex.Message));
        }
        catch (AiProviderUnavailableException ex)
        {
            return AccessCheckResult.From(new AccessCheckItem("endpoint", false, ex.Message));
        }
        catch (AiProviderException ex)
        {
            return AccessCheckResult.From(reached, new AccessCheckItem("request", false, ex.Message));
        }
    }

    /// <inheritdoc />
    public AiUsage GetUsage(ChatResponse response)
    {
        ArgumentNullException.ThrowIfNull(response);
        return AiUsageMath.From(response.Usage);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        ChatClient.Dispose();
        _owned?.Dispose();
    }

    /// <inheritdoc />
    public override string ToString() =>
        $"{_context.VendorDisplayName} AI provider '{Metadata.Name}' (model {Metadata.ModelId}{(Metadata.Endpoint is { } e ? $" at {EndpointRules.SafeDisplay(e)}" : string.Empty)})";
}
