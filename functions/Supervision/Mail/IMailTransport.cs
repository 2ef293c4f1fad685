namespace Supervision.Mail;

/// <summary>
/// The mailer port: SendGrid on Azure, the local outbox otherwise. A transport sends exactly what it is given, once
/// per call; the <see cref="Mailer"/> keeps a retried activity from calling it twice for the same key.
/// </summary>
public interface IMailTransport
{
    /// <exception cref="MailRejectedException">The mail was refused for good (SendGrid 4xx other than 429).</exception>
    /// <exception cref="MailTransientException">The mail could not be handed over now (429, 5xx, network) after the retries.</exception>
    Task<MailReceipt> SendAsync(OutgoingMail mail, CancellationToken cancellationToken);
}
