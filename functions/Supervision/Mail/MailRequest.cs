using Supervision.Domain.Common;

namespace Supervision.Mail;

/// <summary>
/// What a workflow asks the <see cref="Mailer"/> to send: a template in a language with its model, to one recipient,
/// under an idempotency key that names this one mail (e.g. <c>{engagementId}-due-diligence-request</c>, or
/// <c>{engagementId}-reminder-2</c>), so a retried activity never sends it twice.
/// </summary>
/// <param name="EngagementId">The engagement the mail belongs to: its log row and trail entry are in the engagement's partition.</param>
public sealed record MailRequest(
    string Template,
    Language Language,
    MailAddressee To,
    IReadOnlyDictionary<string, string> Model,
    string IdempotencyKey,
    string EngagementId)
{
    public const int MaxIdempotencyKeyLength = 256;

    /// <summary>
    /// Visible ASCII without the characters a table key cannot hold (<c>/ \ # ?</c>), 1 to
    /// <see cref="MaxIdempotencyKeyLength"/> characters.
    /// </summary>
    public static bool IsValidKey(string? key) =>
        !string.IsNullOrEmpty(key)
        && key.Length <= MaxIdempotencyKeyLength
        && key.All(c => c is > ' ' and < '\u007f' and not ('/' or '\\' or '#' or '?'));
}

/// <summary>Where a mail stands. The first four are MailLog row statuses.</summary>
public enum MailStatus
{
    /// <summary>Recorded and handed to the transport, or interrupted while it was: never sent again automatically.</summary>
    Sending,

    /// <summary>The transport accepted the mail.</summary>
    Sent,

    /// <summary>The provider refused it for good (SendGrid 4xx other than 429); the reason is recorded.</summary>
    Rejected,

    /// <summary>The last attempt failed transiently; the next attempt with the same key takes the row over.</summary>
    Failed,

    /// <summary>Not sent and not recorded: a reminder whose request is fulfilled, withdrawn or not yet due.</summary>
    Skipped,
}

/// <summary>What became of a <see cref="MailRequest"/>.</summary>
/// <param name="Repeated">True when the key was already recorded and this call sent nothing: the recorded outcome.</param>
/// <param name="Reason">Why it was rejected, failed or skipped.</param>
public sealed record MailOutcome(string IdempotencyKey, MailStatus Status, bool Repeated, string? Reason = null);
