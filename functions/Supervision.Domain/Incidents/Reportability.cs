using Supervision.Domain.Common;

namespace Supervision.Domain.Incidents;

/// <summary>The reports one incident can owe (6-1, 7-1): to the ministry, preliminary and final, and the separate one for 通信の秘密.</summary>
public enum IncidentReportKind
{
    Preliminary,
    Final,
    SecrecyOfCommunications,
}

/// <summary>
/// The rules a leak is judged by, as versioned data (like the selection criteria): a change in the enforcement rules is
/// a new version, and each incident records the version it was judged under.
/// </summary>
/// <param name="PeopleThreshold">More people than this makes a leak reportable whatever else (APPI enforcement rules: 1,000).</param>
/// <param name="PreliminaryWithinDays">"Promptly" (速報), as days after the principal learned; 3 to 5 is read as prompt.</param>
public sealed record ReportabilityRules(
    string Version,
    int PeopleThreshold,
    int PreliminaryWithinDays,
    int FinalWithinDays,
    int FinalWithinDaysWrongfulPurpose,
    int SecrecyReportWithinDays);

/// <summary>Whether an incident must be reported to the authority, why, and under which rules.</summary>
public sealed record ReportabilityJudgement(bool Reportable, IReadOnlyList<string> Reasons, string RulesVersion);

/// <summary>A report owed and when it is due: the end of its due day in Japan.</summary>
public sealed record ReportDue(IncidentReportKind Kind, DateOnly DueOn, DateTimeOffset DueAt);

public static class Reportability
{
    /// <summary>The rules of the APPI as amended in 2022 (施行規則 第7条), with the ministry's reading of "promptly".</summary>
    public static ReportabilityRules Appi2022 { get; } = new("appi-2022.1", 1_000, 3, 30, 60, 3);

    /// <summary>
    /// 6-1, 7-1: reportable under the APPI when sensitive data is involved, financial damage may follow, or it may have been
    /// done with a wrongful purpose — any of these even for one person — or when more people than the threshold are
    /// involved; data under strong encryption is exempt. A leak of secrecy of communications is not judged here: it owes
    /// its own report under the Telecommunications Business Act whatever this says (<see cref="Deadlines"/>).
    /// </summary>
    public static ReportabilityJudgement Judge(IncidentFacts facts, ReportabilityRules rules)
    {
        ArgumentNullException.ThrowIfNull(facts);
        ArgumentNullException.ThrowIfNull(rules);
        if (facts.StronglyEncrypted)
            return new ReportabilityJudgement(false, ["strongly-encrypted"], rules.Version);
        var reasons = new List<string>();
        if (facts.SensitiveData)
            reasons.Add("sensitive-data");
        if (facts.FinancialDamagePossible)
            reasons.Add("financial-damage");
        if (facts.WrongfulPurposePossible)
            reasons.Add("wrongful-purpose");
        if (facts.PeopleAffected > rules.PeopleThreshold)
            reasons.Add("more-than-threshold");
        return new ReportabilityJudgement(reasons.Count > 0, reasons, rules.Version);
    }

    /// <summary>
    /// The reports owed and their deadlines, counted in Japan calendar days from the day the principal learned of it:
    /// the preliminary report within a few days, the final within 30 (60 for a wrongful purpose); the report under the
    /// Telecommunications Business Act on its own deadline. None when nothing is reportable.
    /// </summary>
    public static IReadOnlyList<ReportDue> Deadlines(IncidentFacts facts, bool reportable, DateTimeOffset principalLearnedAt, ReportabilityRules rules)
    {
        ArgumentNullException.ThrowIfNull(facts);
        ArgumentNullException.ThrowIfNull(rules);
        DateOnly learned = JapanCalendar.DateAt(principalLearnedAt);
        ReportDue Due(IncidentReportKind kind, int days) => new(kind, learned.AddDays(days), JapanCalendar.EndUtc(learned.AddDays(days)));
        var due = new List<ReportDue>();
        if (reportable)
        {
            due.Add(Due(IncidentReportKind.Preliminary, rules.PreliminaryWithinDays));
            due.Add(Due(IncidentReportKind.Final, facts.WrongfulPurposePossible ? rules.FinalWithinDaysWrongfulPurpose : rules.FinalWithinDays));
        }

        if (facts.SecrecyOfCommunications)
            due.Add(Due(IncidentReportKind.SecrecyOfCommunications, rules.SecrecyReportWithinDays));
        return due;
    }
}
