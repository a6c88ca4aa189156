namespace CodeDoc.Core;

/// <summary>A failure of a Git provider (host, local repository).</summary>
public class GitProviderException : CodeDocException
{
    /// <summary>Initializes a new instance of the <see cref="GitProviderException"/> class.</summary>
    public GitProviderException()
    {
    }

    /// <summary>Initializes a new instance of the <see cref="GitProviderException"/> class.</summary>
    /// <param name="message">What went wrong and how to fix it.</param>
    public GitProviderException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="GitProviderException"/> class.</summary>
    /// <param name="message">What went wrong and how to fix it.</param>
    /// <param name="innerException">The underlying failure.</param>
    public GitProviderException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>The credentials were rejected or lack a permission: a bad, expired or under-scoped key or token.</summary>
public sealed class GitProviderAuthenticationException : GitProviderException
{
    /// <summary>Initializes a new instance of the <see cref="GitProviderAuthenticationException"/> class.</summary>
    public GitProviderAuthenticationException()
    {
    }

    /// <summary>Initializes a new instance of the <see cref="GitProviderAuthenticationException"/> class.</summary>
    /// <param name="message">What went wrong and how to fix it.</param>
    public GitProviderAuthenticationException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="GitProviderAuthenticationException"/> class.</summary>
    /// <param name="message">What went wrong and how to fix it.</param>
    /// <param name="innerException">The underlying failure.</param>
    public GitProviderAuthenticationException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>The thing asked for does not exist or is not visible to these credentials (hosts do not tell the two apart).</summary>
public sealed class GitProviderNotFoundException : GitProviderException
{
    /// <summary>Initializes a new instance of the <see cref="GitProviderNotFoundException"/> class.</summary>
    public GitProviderNotFoundException()
    {
    }

    /// <summary>Initializes a new instance of the <see cref="GitProviderNotFoundException"/> class.</summary>
    /// <param name="message">What went wrong and how to fix it.</param>
    public GitProviderNotFoundException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="GitProviderNotFoundException"/> class.</summary>
    /// <param name="message">What went wrong and how to fix it.</param>
    /// <param name="innerException">The underlying failure.</param>
    public GitProviderNotFoundException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>The service asked to slow down; <see cref="RetryAfter"/> says how long to wait, when it said.</summary>
public sealed class GitProviderRateLimitedException : GitProviderException
{
    /// <summary>Initializes a new instance of the <see cref="GitProviderRateLimitedException"/> class.</summary>
    public GitProviderRateLimitedException()
    {
    }

    /// <summary>Initializes a new instance of the <see cref="GitProviderRateLimitedException"/> class.</summary>
    /// <param name="message">What went wrong and how to fix it.</param>
    public GitProviderRateLimitedException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="GitProviderRateLimitedException"/> class.</summary>
    /// <param name="message">What went wrong and how to fix it.</param>
    /// <param name="innerException">The underlying failure.</param>
    public GitProviderRateLimitedException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="GitProviderRateLimitedException"/> class.</summary>
    /// <param name="message">What went wrong.</param>
    /// <param name="retryAfter">How long the service asked to wait, when it said.</param>
    /// <param name="innerException">The underlying failure.</param>
    public GitProviderRateLimitedException(string message, TimeSpan? retryAfter, Exception? innerException = null)
        : base(message, innerException)
    {
        RetryAfter = retryAfter;
    }

    /// <summary>Gets how long the service asked to wait, when it said.</summary>
    public TimeSpan? RetryAfter { get; }

    /// <inheritdoc />
    public override bool IsTransient => true;
}

/// <summary>The target changed underneath the operation (e.g. a version conflict) and retrying did not resolve it.</summary>
public sealed class GitProviderConflictException : GitProviderException
{
    /// <summary>Initializes a new instance of the <see cref="GitProviderConflictException"/> class.</summary>
    public GitProviderConflictException()
    {
    }

    /// <summary>Initializes a new instance of the <see cref="GitProviderConflictException"/> class.</summary>
    /// <param name="message">What went wrong and how to fix it.</param>
    public GitProviderConflictException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="GitProviderConflictException"/> class.</summary>
    /// <param name="message">What went wrong and how to fix it.</param>
    /// <param name="innerException">The underlying failure.</param>
    public GitProviderConflictException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>A quota or spending limit is exhausted; retrying will not help until it resets or is raised.</summary>
public sealed class GitProviderQuotaExceededException : GitProviderException
{
    /// <summary>Initializes a new instance of the <see cref="GitProviderQuotaExceededException"/> class.</summary>
    public GitProviderQuotaExceededException()
    {
    }

    /// <summary>Initializes a new instance of the <see cref="GitProviderQuotaExceededException"/> class.</summary>
    /// <param name="message">What went wrong and how to fix it.</param>
    public GitProviderQuotaExceededException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="GitProviderQuotaExceededException"/> class.</summary>
    /// <param name="message">What went wrong and how to fix it.</param>
    /// <param name="innerException">The underlying failure.</param>
    public GitProviderQuotaExceededException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
