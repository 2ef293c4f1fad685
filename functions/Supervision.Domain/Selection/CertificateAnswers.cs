using System.Globalization;

namespace Supervision.Domain.Selection;

/// <summary>
/// The certificates (1-5: 認証取得状況) and the intent to subcontract, as the questionnaire's answers state them. A
/// certificate counts only when both its dates are given and consistent with its kind; one that does not is a finding,
/// not a certificate.
/// </summary>
public static class CertificateAnswers
{
    public const string PrivacyMarkIssued = "certification.privacy-mark.issued";
    public const string PrivacyMarkExpires = "certification.privacy-mark.expires";
    public const string IsmsEdition = "certification.isms.edition";
    public const string IsmsIssued = "certification.isms.issued";
    public const string IsmsExpires = "certification.isms.expires";
    public const string SubcontractingIntended = "subcontracting.intended";

    /// <summary>The certificates the answers describe, and why any described one was not taken.</summary>
    public static (IReadOnlyList<Certificate> Certificates, IReadOnlyList<string> Refused) Read(IReadOnlyDictionary<string, string?> answers)
    {
        ArgumentNullException.ThrowIfNull(answers);
        var certificates = new List<Certificate>();
        var refused = new List<string>();
        Add(CertificateKind.PrivacyMark, null, answers.GetValueOrDefault(PrivacyMarkIssued), answers.GetValueOrDefault(PrivacyMarkExpires), certificates, refused);
        Add(CertificateKind.Isms, answers.GetValueOrDefault(IsmsEdition)?.Trim(), answers.GetValueOrDefault(IsmsIssued), answers.GetValueOrDefault(IsmsExpires), certificates, refused);
        return (certificates, refused);
    }

    public static bool IntendsToSubcontract(IReadOnlyDictionary<string, string?> answers)
    {
        ArgumentNullException.ThrowIfNull(answers);
        return answers.GetValueOrDefault(SubcontractingIntended)?.Trim() == "yes";
    }

    private static void Add(CertificateKind kind, string? edition, string? issued, string? expires, List<Certificate> certificates, List<string> refused)
    {
        if (string.IsNullOrWhiteSpace(issued) && string.IsNullOrWhiteSpace(expires))
            return;
        if (!TryDate(issued, out DateOnly issuedOn) || !TryDate(expires, out DateOnly expiresOn))
        {
            refused.Add($"{kind}: both the first day of validity and the expiry are needed (yyyy-MM-dd).");
            return;
        }

        var certificate = new Certificate(kind, string.IsNullOrEmpty(edition) ? null : edition, issuedOn, expiresOn);
        var errors = CertificateRules.Validate(certificate);
        if (errors.IsEmpty)
            certificates.Add(certificate);
        else
            refused.AddRange(errors.ToDictionary().SelectMany(error => error.Value.Select(message => $"{kind}: {error.Key} {message}")));
    }

    private static bool TryDate(string? value, out DateOnly date) =>
        DateOnly.TryParseExact(value?.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out date);
}
