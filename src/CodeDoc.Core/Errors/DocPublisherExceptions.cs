namespace CodeDoc.Core;

/// <summary>A failure of a documentation publisher.</summary>
public class DocPublisherException : CodeDocException
{
    /// <summary>Initializes a new instance of the <see cref="DocPublisherException"/> class.</summary>
    public DocPublisherException()
    {
    }

    /// <summary>Initializes a new instance of the <see cref="DocPublisherException"/> class.</summary>
    /// <param name="message">What went wrong and how to fix it.</param>
    public DocPublisherException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="DocPublisherException"/> class.</summary>
    /// <param name="message">What went wrong and how to fix it.</param>
    /// <param name="innerException">The underlying failure.</param>
    public DocPublisherException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>The credentials were rejected or lack a permission: a bad, expired or under-scoped key or token.</summary>
public sealed class DocPublisherAuthenticationException : DocPublisherException
{
    /// <summary>Initializes a new instance of the <see cref="DocPublisherAuthenticationException"/> class.</summary>
    public DocPublisherAuthenticationException()
    {
    }

    /// <summary>Initializes a new instance of the <see cref="DocPublisherAuthenticationException"/> class.</summary>
    /// <param name="message">What went wrong and how to fix it.</param>
    public DocPublisherAuthenticationException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="DocPublisherAuthenticationException"/> class.</summary>
    /// <param name="message">What went wrong and how to fix it.</param>
    /// <param name="innerException">The underlying failure.</param>
    public DocPublisherAuthenticationException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>The thing asked for does not exist or is not visible to these credentials (hosts do not tell the two apart).</summary>
public sealed class DocPublisherNotFoundException : DocPublisherException
{
    /// <summary>Initializes a new instance of the <see cref="DocPublisherNotFoundException"/> class.</summary>
    public DocPublisherNotFoundException()
    {
    }

    /// <summary>Initializes a new instance of the <see cref="DocPublisherNotFoundException"/> class.</summary>
    /// <param name="message">What went wrong and how to fix it.</param>
    public DocPublisherNotFoundException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="DocPublisherNotFoundException"/> class.</summary>
    /// <param name="message">What went wrong and how to fix it.</param>
    /// <param name="innerException">The underlying failure.</param>
    public DocPublisherNotFoundException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>The service asked to slow down; <see cref="RetryAfter"/> says how long to wait, when it said.</summary>
public sealed class DocPublisherRateLimitedException : DocPublisherException
{
    /// <summary>Initializes a new instance of the <see cref="DocPublisherRateLimitedException"/> class.</summary>
    public DocPublisherRateLimitedException()
    {
    }

    /// <summary>Initializes a new instance of the <see cref="DocPublisherRateLimitedException"/> class.</summary>
    /// <param name="message">What went wrong and how to fix it.</param>
    public DocPublisherRateLimitedException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="DocPublisherRateLimitedException"/> class.</summary>
    /// <param name="message">What went wrong and how to fix it.</param>
    /// <param name="innerException">The underlying failure.</param>
    public DocPublisherRateLimitedException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="DocPublisherRateLimitedException"/> class.</summary>
    /// <param name="message">What went wrong.</param>
    /// <param name="retryAfter">How long the service asked to wait, when it said.</param>
    /// <param name="innerException">The underlying failure.</param>
    public DocPublisherRateLimitedException(string message, TimeSpan? retryAfter, Exception? innerException = null)
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
public sealed class DocPublisherConflictException : DocPublisherException
{
    /// <summary>Initializes a new instance of the <see cref="DocPublisherConflictException"/> class.</summary>
    public DocPublisherConflictException()
    {
    }

    /// <summary>Initializes a new instance of the <see cref="DocPublisherConflictException"/> class.</summary>
    /// <param name="message">What went wrong and how to fix it.</param>
    public DocPublisherConflictException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="DocPublisherConflictException"/> class.</summary>
    /// <param name="message">What went wrong and how to fix it.</param>
    /// <param name="innerException">The underlying failure.</param>
    public DocPublisherConflictException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>A documentation set is not a valid page tree. Nothing was written.</summary>
public sealed class InvalidDocumentSetException : DocPublisherException
{
    /// <summary>Initializes a new instance of the <see cref="InvalidDocumentSetException"/> class.</summary>
    public InvalidDocumentSetException()
    {
        Problems = [];
    }

    /// <summary>Initializes a new instance of the <see cref="InvalidDocumentSetException"/> class.</summary>
    /// <param name="message">What is wrong.</param>
    public InvalidDocumentSetException(string message)
        : base(message)
    {
        Problems = [message];
    }

    /// <summary>Initializes a new instance of the <see cref="InvalidDocumentSetException"/> class.</summary>
    /// <param name="message">What is wrong.</param>
    /// <param name="innerException">The underlying failure.</param>
    public InvalidDocumentSetException(string message, Exception? innerException)
        : base(message, innerException)
    {
        Problems = [message];
    }

    /// <summary>Initializes a new instance of the <see cref="InvalidDocumentSetException"/> class.</summary>
    /// <param name="problems">Every problem found.</param>
    public InvalidDocumentSetException(IReadOnlyList<string> problems)
        : base("The documentation set is not a valid page tree; nothing was published:" + Environment.NewLine + string.Join(Environment.NewLine, (problems ?? []).Select(p => "- " + p)))
    {
        Problems = problems ?? [];
    }

    /// <summary>Gets every problem found.</summary>
    public IReadOnlyList<string> Problems { get; }
}
