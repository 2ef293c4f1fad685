using Supervision.Domain.Common;

namespace Supervision.Domain.Contracts;

/// <summary>How data travels (2-4): a means that leaves a record, or encryption, never plain post or plain e-mail.</summary>
public enum TransferMethod
{
    /// <summary>Delivery with a tracking record (配達記録等が取得可能な手段).</summary>
    TrackedDelivery,

    /// <summary>Transmission encrypted end to end (データ伝送の場合は暗号化).</summary>
    EncryptedTransfer,

    /// <summary>Handed over in person between the responsible persons, against a signature.</summary>
    InPerson,
}

public enum ReportFrequency
{
    Monthly,
    Quarterly,
    HalfYearly,
    Yearly,
}

/// <summary>
/// Whether and how the contractor may subcontract: the five answers of 3-2's survey.
/// </summary>
public enum SubcontractPolicy
{
    /// <summary>再委託を認めない.</summary>
    Prohibited,

    /// <summary>Allowed with the principal's prior (written) approval (事前に書面で許可).</summary>
    PriorApproval,

    /// <summary>Allowed, reported to the principal after the fact (事後の報告).</summary>
    ReportAfterTheFact,

    /// <summary>The principal sets criteria and leaves their use to the contractor (基準を定めて委託先に一任).</summary>
    DelegatedUnderCriteria,

    /// <summary>Left to the contractor (委託先に一任).</summary>
    Delegated,
}

public enum EndOfWorkMethod
{
    Return,
    Erasure,
    Disposal,
}

/// <summary>A responsible person for the handover and management of the data (2-4), on either side.</summary>
public sealed record ResponsiblePerson(string Name, string Role);

/// <summary>
/// End-of-work handling (2-4: 返還方法、消去、廃棄、時期等): how, within how many days of the end, and how it is proved —
/// a certificate of disposal or the principal witnessing it (廃棄証明、委託元の立会による破却).
/// </summary>
public sealed record EndOfWorkTerms(EndOfWorkMethod Method, int WithinDaysAfterEnd, bool CertificateRequired, bool WitnessedByPrincipal);

/// <summary>What the contractor reports on its handling of the data, and how often (2-4).</summary>
public sealed record ReportingTerms(string Content, ReportFrequency Frequency);

/// <summary>How fast and to whom the contractor reports a leak or other incident (2-4).</summary>
public sealed record IncidentReportingTerms(int NotifyWithinHours, string ContactPoint);

/// <summary>
/// The data-handover terms of 2-4 as structured data. Booleans are undertakings written into the contract; null means
/// the term has not been agreed yet.
/// </summary>
public sealed record HandoverTerms
{
    /// <summary>The data items handed over: only what the work needs (2-4).</summary>
    public IReadOnlyList<string> DataItems { get; init; } = [];

    public TransferMethod? TransferMethod { get; init; }

    /// <summary>Both sides keep a ledger of handovers and confirm each one (双方で管理簿を作成し、授受の確認).</summary>
    public bool LedgersOnBothSides { get; init; }

    public ResponsiblePerson? PrincipalResponsible { get; init; }

    public ResponsiblePerson? ContractorResponsible { get; init; }

    /// <summary>The concrete measures against leaks and theft (漏えい防止、盗用禁止), as the contractor stated them.</summary>
    public string? LeakPreventionMeasures { get; init; }

    /// <summary>No removal of the data from the work site (作業場所以外への持出禁止).</summary>
    public bool NoRemovalFromWorkSite { get; init; }

    /// <summary>No processing, use, copying or reproduction beyond the contract (委託契約範囲外の加工、利用、複写、複製の禁止).</summary>
    public bool NoProcessingBeyondContract { get; init; }

    public EndOfWorkTerms? EndOfWork { get; init; }

    public ReportingTerms? Reporting { get; init; }

    /// <summary>The principal may audit the contractor (委託元が監査することを明確に).</summary>
    public bool PrincipalMayAudit { get; init; }

    public SubcontractPolicy? Subcontracting { get; init; }

    /// <summary>What happens when the terms are not kept (取り決めが遵守されなかった場合の措置).</summary>
    public string? MeasuresOnNonCompliance { get; init; }

    public IncidentReportingTerms? IncidentReporting { get; init; }
}

public static class HandoverTermsRules
{
    /// <summary>
    /// The contractor must tell the principal of an incident within this many hours. The principal's own preliminary report
    /// to the regulator is due within about 3–5 days, and the contractor is released once it has told the principal, so the
    /// contract asks for notice within a day.
    /// </summary>
    public const int MaxIncidentNotifyHours = 24;

    /// <summary>End-of-work handling must be finished within this many days of the end of the work.</summary>
    public const int MaxEndOfWorkDays = 90;

    public const int MaxTextLength = 2_000;

    /// <summary>Names every term of 2-4 that is missing or not acceptable, keyed by the term's field.</summary>
    public static ValidationErrors Validate(HandoverTerms terms)
    {
        ArgumentNullException.ThrowIfNull(terms);
        var errors = new ValidationErrors();

        if (terms.DataItems is null || terms.DataItems.Count == 0 || terms.DataItems.Any(string.IsNullOrWhiteSpace))
            errors.Add("dataItems", "must name every data item handed over, and only what the work needs (2-4).");
        if (terms.TransferMethod is null)
            errors.Add("transferMethod", "is required: tracked delivery, encrypted transfer or in person (2-4).");
        if (!terms.LedgersOnBothSides)
            errors.Add("ledgersOnBothSides", "both sides must keep a ledger and confirm each handover (2-4).");
        RequiredPerson("principalResponsible", terms.PrincipalResponsible, errors);
        RequiredPerson("contractorResponsible", terms.ContractorResponsible, errors);
        errors.Required("leakPreventionMeasures", terms.LeakPreventionMeasures, MaxTextLength);
        if (!terms.NoRemovalFromWorkSite)
            errors.Add("noRemovalFromWorkSite", "the contract must forbid taking the data out of the work site (2-4).");
        if (!terms.NoProcessingBeyondContract)
            errors.Add("noProcessingBeyondContract", "the contract must forbid processing, copying or reproduction beyond its scope (2-4).");
        ValidateEndOfWork(terms.EndOfWork, errors);
        if (terms.Reporting is null)
            errors.Add("reporting", "is required: what is reported and how often (2-4).");
        else
            errors.Required("reporting.content", terms.Reporting.Content, MaxTextLength);
        if (!terms.PrincipalMayAudit)
            errors.Add("principalMayAudit", "the principal's right to audit must be stated (2-4).");
        if (terms.Subcontracting is null)
            errors.Add("subcontracting", "is required: whether and how subcontracting is allowed (3-1, 3-2).");
        errors.Required("measuresOnNonCompliance", terms.MeasuresOnNonCompliance, MaxTextLength);
        ValidateIncidentReporting(terms.IncidentReporting, errors);
        return errors;
    }

    private static void RequiredPerson(string field, ResponsiblePerson? person, ValidationErrors errors)
    {
        if (person is null)
        {
            errors.Add(field, "is required (2-4).");
            return;
        }

        errors.RequiredLine($"{field}.name", person.Name, 200);
        errors.RequiredLine($"{field}.role", person.Role, 200);
    }

    private static void ValidateEndOfWork(EndOfWorkTerms? endOfWork, ValidationErrors errors)
    {
        if (endOfWork is null)
        {
            errors.Add("endOfWork", "is required: return, erasure or disposal, when, and how it is proved (2-4).");
            return;
        }

        if (endOfWork.WithinDaysAfterEnd is < 1 or > MaxEndOfWorkDays)
            errors.Add("endOfWork.withinDaysAfterEnd", $"must be between 1 and {MaxEndOfWorkDays} days.");
        if (!endOfWork.CertificateRequired && !endOfWork.WitnessedByPrincipal)
            errors.Add("endOfWork.proof", "a certificate or the principal's witness must prove the handling (2-4).");
    }

    private static void ValidateIncidentReporting(IncidentReportingTerms? incident, ValidationErrors errors)
    {
        if (incident is null)
        {
            errors.Add("incidentReporting", "is required: how and how fast incidents are reported to the principal (2-4).");
            return;
        }

        if (incident.NotifyWithinHours is < 1 or > MaxIncidentNotifyHours)
            errors.Add("incidentReporting.notifyWithinHours", $"must be between 1 and {MaxIncidentNotifyHours} hours.");
        errors.RequiredLine("incidentReporting.contactPoint", incident.ContactPoint, 200);
    }
}
