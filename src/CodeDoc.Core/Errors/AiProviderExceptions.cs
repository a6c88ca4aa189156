namespace CodeDoc.Core;

/// <summary>A failure of a model vendor.</summary>
public class AiProviderException : CodeDocException
{
    /// <summary>Initializes a new instance of the <see cref="AiProviderException"/> class.</summary>
    public AiProviderException()
    {
    }

    /// <summary>Initializes a new instance of the <see cref="AiProviderException"/> class.</summary>
    /// <param name="message">What went wrong and how to fix it.</param>
    public AiProviderException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="AiProviderException"/> class.</summary>
    /// <param name="message">What went wrong and how to fix it.</param>
    /// <param name="innerException">The underlying failure.</param>
    public AiProviderException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>The credentials were rejected or lack a permission: a bad, expired or under-scoped key or token.</summary>
public sealed class AiProviderAuthenticationException : AiProviderException
{
    /// <summary>Initializes a new instance of the <see cref="AiProviderAuthenticationException"/> class.</summary>
    public AiProviderAuthenticationException()
    {
    }

    /// <summary>Initializes a new instance of the <see cref="AiProviderAuthenticationException"/> class.</summary>
    /// <param name="message">What went wrong and how to fix it.</param>
    public AiProviderAuthenticationException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="AiProviderAuthenticationException"/> class.</summary>
    /// <param name="message">What went wrong and how to fix it.</param>
    /// <param name="innerException">The underlying failure.</param>
    public AiProviderAuthenticationException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>The thing asked for does not exist or is not visible to these credentials (hosts do not tell the two apart).</summary>
public sealed class AiProviderNotFoundException : AiProviderException
{
    /// <summary>Initializes a new instance of the <see cref="AiProviderNotFoundException"/> class.</summary>
    public AiProviderNotFoundException()
    {
    }

    /// <summary>Initializes a new instance of the <see cref="AiProviderNotFoundException"/> class.</summary>
    /// <param name="message">What went wrong and how to fix it.</param>
    public AiProviderNotFoundException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="AiProviderNotFoundException"/> class.</summary>
    /// <param name="message">What went wrong and how to fix it.</param>
    /// <param name="innerException">The underlying failure.</param>
    public AiProviderNotFoundException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>The service asked to slow down; <see cref="RetryAfter"/> says how long to wait, when it said.</summary>
public sealed class AiProviderRateLimitedException : AiProviderException
{
    /// <summary>Initializes a new instance of the <see cref="AiProviderRateLimitedException"/> class.</summary>
    public AiProviderRateLimitedException()
    {
    }

    /// <summary>Initializes a new instance of the <see cref="AiProviderRateLimitedException"/> class.</summary>
    /// <param name="message">What went wrong and how to fix it.</param>
    public AiProviderRateLimitedException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="AiProviderRateLimitedException"/> class.</summary>
    /// <param name="message">What went wrong and how to fix it.</param>
    /// <param name="innerException">The underlying failure.</param>
    public AiProviderRateLimitedException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="AiProviderRateLimitedException"/> class.</summary>
    /// <param name="message">What went wrong.</param>
    /// <param name="retryAfter">How long the service asked to wait, when it said.</param>
    /// <param name="innerException">The underlying failure.</param>
    public AiProviderRateLimitedException(string message, TimeSpan? retryAfter, Exception? innerException = null)
        : base(message, innerException)
    {
        RetryAfter = retryAfter;
    }

    /// <summary>Gets how long the service asked to wait, when it said.</summary>
    public TimeSpan? RetryAfter { get; }

    /// <inheritdoc />
    public override bool IsTransient => true;
}

/// <summary>A quota or spending limit is exhausted; retrying will not help until it resets or is raised.</summary>
public sealed class AiProviderQuotaExceededException : AiProviderException
{
    /// <summary>Initializes a new instance of the <see cref="AiProviderQuotaExceededException"/> class.</summary>
    public AiProviderQuotaExceededException()
    {
    }

    /// <summary>Initializes a new instance of the <see cref="AiProviderQuotaExceededException"/> class.</summary>
    /// <param name="message">What went wrong and how to fix it.</param>
    public AiProviderQuotaExceededException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="AiProviderQuotaExceededException"/> class.</summary>
    /// <param name="message">What went wrong and how to fix it.</param>
    /// <param name="innerException">The underlying failure.</param>
    public AiProviderQuotaExceededException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>The prompt does not fit the model's context window.</summary>
public sealed class AiProviderContextTooLongException : AiProviderException
{
    /// <summary>Initializes a new instance of the <see cref="AiProviderContextTooLongException"/> class.</summary>
    public AiProviderContextTooLongException()
    {
    }

    /// <summary>Initializes a new instance of the <see cref="AiProviderContextTooLongException"/> class.</summary>
    /// <param name="message">What went wrong and how to fix it.</param>
    public AiProviderContextTooLongException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="AiProviderContextTooLongException"/> class.</summary>
    /// <param name="message">What went wrong and how to fix it.</param>
    /// <param name="innerException">The underlying failure.</param>
    public AiProviderContextTooLongException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="AiProviderContextTooLongException"/> class.</summary>
    /// <param name="message">What went wrong.</param>
    /// <param name="promptTokens">The prompt's size in tokens, when the vendor said.</param>
    /// <param name="contextWindowTokens">The model's limit in tokens, when the vendor said.</param>
    /// <param name="innerException">The underlying failure.</param>
    public AiProviderContextTooLongException(string message, long? promptTokens, long? contextWindowTokens, Exception? innerException = null)
        : base(message, innerException)
    {
        PromptTokens = promptTokens;
        ContextWindowTokens = contextWindowTokens;
    }

    /// <summary>Gets the prompt's size in tokens, when the vendor said.</summary>
    public long? PromptTokens { get; }

    /// <summary>Gets the model's limit in tokens, when the vendor said.</summary>
    public long? ContextWindowTokens { get; }
}

/// <summary>
/// The vendor is overloaded or unreachable, or a response broke off (a 5xx or 529 that outlasted the retries, a
/// reset connection, a stream cut short, a timeout); the same request can succeed later.
/// </summary>
public sealed class AiProviderUnavailableException : AiProviderException
{
    /// <summary>Initializes a new instance of the <see cref="AiProviderUnavailableException"/> class.</summary>
    public AiProviderUnavailableException()
    {
    }

    /// <summary>Initializes a new instance of the <see cref="AiProviderUnavailableException"/> class.</summary>
    /// <param name="message">What went wrong and how to fix it.</param>
    public AiProviderUnavailableException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="AiProviderUnavailableException"/> class.</summary>
    /// <param name="message">What went wrong and how to fix it.</param>
    /// <param name="innerException">The underlying failure.</param>
    public AiProviderUnavailableException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <inheritdoc />
    public override bool IsTransient => true;
}
