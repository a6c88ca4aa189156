using System.Net;

namespace CodeDoc.Core;

/// <summary>
/// The base of every exception CodeDoc throws on purpose. Carries provider-neutral context. Messages say what was
/// wrong and how to fix it, and never contain a key, token or webhook secret.
/// </summary>
public class CodeDocException : Exception
{
    private readonly Uri? _requestUri;

    /// <summary>Initializes a new instance of the <see cref="CodeDocException"/> class.</summary>
    public CodeDocException()
    {
    }

    /// <summary>Initializes a new instance of the <see cref="CodeDocException"/> class.</summary>
    /// <param name="message">What went wrong and how to fix it.</param>
    public CodeDocException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="CodeDocException"/> class.</summary>
    /// <param name="message">What went wrong and how to fix it.</param>
    /// <param name="innerException">The underlying failure.</param>
    public CodeDocException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Gets the name of the provider registration involved, when any.</summary>
    public string? ProviderName { get; init; }

    /// <summary>Gets the operation that failed, e.g. <c>ResolveRef</c>.</summary>
    public string? OperationName { get; init; }

    /// <summary>Gets the HTTP status code of the failed request, when there was one.</summary>
    public HttpStatusCode? StatusCode { get; init; }

    /// <summary>Gets the failed request's URI without query string, fragment or user info (they can hold secrets).</summary>
    public Uri? RequestUri
    {
        get => _requestUri;
        init => _requestUri = StripSecrets(value);
    }

    /// <summary>Gets a value indicating whether retrying the same operation later can succeed.</summary>
    public virtual bool IsTransient => false;

    private static Uri? StripSecrets(Uri? uri)
    {
        if (uri is null || !uri.IsAbsoluteUri)
        {
            return uri;
        }

        return new UriBuilder(uri) { Query = string.Empty, Fragment = string.Empty, UserName = string.Empty, Password = string.Empty }.Uri;
    }
}

/// <summary>The configuration is wrong: a missing provider, an invalid option, an unknown name.</summary>
public sealed class CodeDocConfigurationException : CodeDocException
{
    /// <summary>Initializes a new instance of the <see cref="CodeDocConfigurationException"/> class.</summary>
    public CodeDocConfigurationException()
    {
    }

    /// <summary>Initializes a new instance of the <see cref="CodeDocConfigurationException"/> class.</summary>
    /// <param name="message">What is wrong and how to fix it.</param>
    public CodeDocConfigurationException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="CodeDocConfigurationException"/> class.</summary>
    /// <param name="message">What is wrong and how to fix it.</param>
    /// <param name="innerException">The underlying failure.</param>
    public CodeDocConfigurationException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>A repository snapshot could not be read: a corrupt or truncated archive, or an archive past a safety limit.</summary>
public sealed class SnapshotException : CodeDocException
{
    /// <summary>Initializes a new instance of the <see cref="SnapshotException"/> class.</summary>
    public SnapshotException()
    {
    }

    /// <summary>Initializes a new instance of the <see cref="SnapshotException"/> class.</summary>
    /// <param name="message">What is wrong with the input and what to do.</param>
    public SnapshotException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="SnapshotException"/> class.</summary>
    /// <param name="message">What is wrong with the input and what to do.</param>
    /// <param name="innerException">The underlying failure.</param>
    public SnapshotException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>A webhook body is not a payload the host sends (malformed JSON, missing fields).</summary>
public sealed class WebhookPayloadException : CodeDocException
{
    /// <summary>Initializes a new instance of the <see cref="WebhookPayloadException"/> class.</summary>
    public WebhookPayloadException()
    {
    }

    /// <summary>Initializes a new instance of the <see cref="WebhookPayloadException"/> class.</summary>
    /// <param name="message">What is wrong with the payload.</param>
    public WebhookPayloadException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="WebhookPayloadException"/> class.</summary>
    /// <param name="message">What is wrong with the payload.</param>
    /// <param name="innerException">The underlying failure.</param>
    public WebhookPayloadException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
