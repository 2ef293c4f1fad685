namespace Supervision.Mail;

/// <summary>
/// How the product sends mail. With a SendGrid API key, through SendGrid; without one (or with an empty one, which is
/// what the Bicep template sets when no key is given), into the local outbox, a folder of .eml files a person can read.
/// </summary>
public sealed class MailOptions
{
    public const string Section = "Supervision:Mail";

    /// <summary>The sender address; on SendGrid it must be a verified sender identity.</summary>
    public string From { get; set; } = "no-reply@example.com";

    public string? FromName { get; set; }

    /// <summary>A secret: Key Vault on Azure, user-secrets or an environment variable locally. Never in the repository.</summary>
    public string? SendGridApiKey { get; set; }

    /// <summary>SendGrid's API host; empty for SendGrid itself. Tests point it at a local capture endpoint.</summary>
    public Uri? SendGridHost { get; set; }

    /// <summary>Where the outbox writes; the local host sets <c>.local/outbox</c> under the project root.</summary>
    public string? OutboxDirectory { get; set; }

    public MailRetryOptions Retry { get; set; } = new();

    /// <summary>
    /// How long one attempt holds a mail's key while it sends. A key still <c>Sending</c> after this was left by an
    /// attempt that stopped (a crash): the next attempt takes it over and sends. Well over what one send with all its
    /// retries can take, so a send still running is never doubled.
    /// </summary>
    public TimeSpan SendingLease { get; set; } = TimeSpan.FromMinutes(10);

    public bool UsesSendGrid => !string.IsNullOrWhiteSpace(SendGridApiKey);

    /// <summary>The outbox folder, absolute: the configured one, else a folder under the temporary directory.</summary>
    public string OutboxPath => Path.GetFullPath(string.IsNullOrWhiteSpace(OutboxDirectory)
        ? Path.Combine(Path.GetTempPath(), "supervision-outbox")
        : OutboxDirectory);
}

/// <summary>
/// Retries of one SendGrid call inside one activity run: 429 and 5xx (and network errors and attempt time-outs) are
/// retried with exponential back-off and jitter, honouring Retry-After; any other 4xx is final. When these retries are
/// used up, the activity fails and the workflow's own retry policy decides what comes next.
/// </summary>
public sealed class MailRetryOptions
{
    public int MaxRetryAttempts { get; set; } = 4;

    /// <summary>The first back-off; each next one doubles (2, 4, 8, 16 s by default, with jitter).</summary>
    public TimeSpan BaseDelay { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>The longest wait between attempts. A Retry-After longer than this is not waited for in the call.</summary>
    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromSeconds(30);

    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(30);

    public TimeSpan TotalTimeout { get; set; } = TimeSpan.FromMinutes(3);
}
