using System.Net.Mail;

namespace Supervision.Domain.Common;

public static class Mailbox
{
    public const int MaxLength = 254;

    /// <summary>One plain address (no display name, no list) on a host with a dot: what a mail can be sent to.</summary>
    public static bool IsValid(string email) =>
        MailAddress.TryCreate(email, out MailAddress? address)
        && string.Equals(address.Address, email, StringComparison.OrdinalIgnoreCase)
        && address.Host.Contains('.', StringComparison.Ordinal);
}
