namespace Supervision.Domain.Selection;

/// <summary>A certificate the contractor must show renewal evidence for, and why.</summary>
public sealed record RenewalDue(Certificate Certificate, CertificateStatus Status, DateWindow? Window);

/// <summary>Which of an engagement's certificates need renewal evidence on a given day (the daily sweep asks this).</summary>
public static class CertificateRenewal
{
    /// <summary>
    /// The certificates that are expiring soon, expired or lapsed on <paramref name="today"/>, or whose Privacy Mark
    /// renewal window (8 to 4 months before expiry) is open; a valid certificate outside its window needs nothing.
    /// </summary>
    public static IReadOnlyList<RenewalDue> Due(IEnumerable<Certificate> certificates, DateOnly today)
    {
        ArgumentNullException.ThrowIfNull(certificates);
        var due = new List<RenewalDue>();
        foreach (Certificate certificate in certificates)
        {
            CertificateStatus status = CertificateRules.Status(certificate, today);
            DateWindow? window = CertificateRules.RenewalWindow(certificate);
            if (status != CertificateStatus.Valid || window?.Contains(today) == true)
                due.Add(new RenewalDue(certificate, status, window));
        }

        return due;
    }
}
