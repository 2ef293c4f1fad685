namespace Supervision.Mail;

/// <summary>The provider refused the mail for good (SendGrid 4xx other than 429): recorded and surfaced, never retried.</summary>
public sealed class MailRejectedException : Exception
{
    public MailRejectedException()
    {
    }

    public MailRejectedException(string message)
        : base(message)
    {
    }

    public MailRejectedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public MailRejectedException(int statusCode, string reason)
        : base($"The mail was rejected ({statusCode}): {reason}")
    {
        StatusCode = statusCode;
        Reason = reason;
    }

    public int StatusCode { get; }

    /// <summary>The provider's own explanation, e.g. SendGrid's error messages.</summary>
    public string Reason { get; } = string.Empty;
}

/// <summary>
/// The mail could not be handed over now (429, 5xx, network, time-out) and the in-call retries are used up. The
/// durable activity fails with it, so the workflow's retry policy runs the activity again later.
/// </summary>
public sealed class MailTransientException : Exception
{
    public MailTransientException()
    {
    }

    public MailTransientException(string message)
        : base(message)
    {
    }

    public MailTransientException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public MailTransientException(int? statusCode, string message, TimeSpan? retryAfter = null, Exception? innerException = null)
        : base(message, innerException)
    {
        StatusCode = statusCode;
        RetryAfter = retryAfter;
    }

    /// <summary>The last HTTP status, or null when no response came (network error, time-out).</summary>
    public int? StatusCode { get; }

    /// <summary>The provider's Retry-After on the last answer, when it gave one.</summary>
    public TimeSpan? RetryAfter { get; }
}

/// <summary>
/// Another attempt is sending the mail of this key right now (within its lease). The activity fails with it, so the
/// workflow's retry policy runs it again later: by then the mail is sent, or the lease has run out and that attempt
/// takes the key over.
/// </summary>
public sealed class MailInFlightException : Exception
{
    public MailInFlightException()
    {
    }

    public MailInFlightException(string message)
        : base(message)
    {
    }

    public MailInFlightException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
