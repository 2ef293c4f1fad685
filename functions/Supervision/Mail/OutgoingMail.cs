using Supervision.Domain.Common;

namespace Supervision.Mail;

/// <summary>A mailbox: an address and, optionally, the name shown with it.</summary>
public sealed record MailAddressee(string Address, string? Name = null);

/// <summary>A rendered mail, ready for a transport. The idempotency key travels with it so deliveries can be correlated.</summary>
public sealed record OutgoingMail(
    MailAddressee To,
    MailAddressee From,
    string Subject,
    string Text,
    string Html,
    string IdempotencyKey,
    Language Language);

/// <summary>What a transport reports for a mail it accepted: which transport, and its id for the mail (if any).</summary>
public sealed record MailReceipt(string Transport, string? MessageId);
