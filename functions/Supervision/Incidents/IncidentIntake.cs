using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Supervision.Audit;
using Supervision.Domain.Audit;
using Supervision.Domain.Common;
using Supervision.Domain.Contracts;
using Supervision.Domain.Incidents;
using Supervision.Durable;
using Supervision.Http;
using Supervision.Kernel;

namespace Supervision.Incidents;

/// <summary>The clock and the chasing of incidents (<c>Supervision:Incidents</c>).</summary>
public sealed class IncidentOptions
{
    public const string Section = "Supervision:Incidents";

    /// <summary>The preliminary report's target (速報: "promptly"), in Japan days after the principal learned.</summary>
    public int PreliminaryWithinDays { get; set; } = Reportability.Appi2022.PreliminaryWithinDays;

    /// <summary>How long before a report's deadline the supervisors are first reminded.</summary>
    public TimeSpan ReminderLead { get; set; } = TimeSpan.FromDays(2);

    /// <summary>After the first reminder, how long until the next (and, after the last, the escalation).</summary>
    public TimeSpan ReminderInterval { get; set; } = TimeSpan.FromHours(12);

    public int MaxReminders { get; set; } = 1;

    /// <summary>The largest file accepted as a filed report.</summary>
    public int MaxFileBytes { get; set; } = 3 * 1024 * 1024;

    public int MaxBodyBytes => (MaxFileBytes / 3 * 4) + (64 * 1024);

    /// <summary>The rules in force: the APPI's, with the preliminary target this deployment set (a version of its own when it differs).</summary>
    public ReportabilityRules Rules => PreliminaryWithinDays == Reportability.Appi2022.PreliminaryWithinDays
        ? Reportability.Appi2022
        : Reportability.Appi2022 with
        {
            Version = $"{Reportability.Appi2022.Version}+preliminary-{PreliminaryWithinDays.ToString(CultureInfo.InvariantCulture)}d",
            PreliminaryWithinDays = PreliminaryWithinDays,
        };
}

/// <summary>Who reports: staff (any tier, or a carrier), or a tier through its own link (then only for itself).</summary>
public sealed record IncidentReporter(string Actor, string IdempotencyScope, string? BoundTier);

public sealed record IntakeResult(IResult? Problem, IncidentRecord? Incident = null);

/// <summary>
/// Takes an incident in, whoever reports it (6-1, 6-3): the facts checked, the reportability judged by the rules in
/// force, the reports owed and their deadlines counted from now (the principal learns of it now), a late notice found,
/// the response checklist opened. The row is written with its trail entry, in one transaction; the workflow that mails
/// the supervisors at once and chases the reports follows, and is started again by a repeated report (the same
/// idempotency key).
/// </summary>
public sealed class IncidentIntake(
    EngagementStore engagements,
    TierStore tiers,
    IncidentStore incidents,
    IFindingRaiser findings,
    EventOutbox outbox,
    IOptions<IncidentOptions> options,
    TimeProvider time,
    ILogger<IncidentIntake> logger)
{
    public IncidentOptions Options => options.Value;

    public async Task<IntakeResult> TakeAsync(string engagementId, IncidentDraft draft, IncidentReporter reporter, string? idempotencyKey, DurableTaskClient durable, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(draft);
        ArgumentNullException.ThrowIfNull(reporter);
        EngagementRecord? engagement = await engagements.GetAsync(engagementId, cancellationToken);
        if (engagement is null)
            return new(Problems.NotFound("The engagement"));
        if (engagement.Terms() is not { } terms)
            return new(Problems.Conflict("The engagement has no contract terms.", "Incidents are reported against the data of a contract: record its terms first."));

        if (reporter.BoundTier is not null && !string.IsNullOrWhiteSpace(draft.Tier) && draft.Tier.Trim() != reporter.BoundTier)
            return new(Problems.Invalid(new Dictionary<string, string[]> { ["tier"] = ["A link reports incidents of its own tier only."] }));
        draft = draft with { Tier = reporter.BoundTier ?? draft.Tier };
        DateTimeOffset now = time.GetUtcNow();
        ValidationErrors errors = IncidentRules.Read(draft, terms.DataItems, now, out IncidentFacts? facts);
        if (facts is not null && facts.Tier != Tiers.Contractor && (!EngagementIds.IsWellFormed(facts.Tier) || await tiers.GetAsync(engagementId, facts.Tier, cancellationToken) is null))
            errors.Add("tier", "is not a tier of this engagement's chain.");
        if (!errors.IsEmpty)
            return new(Problems.Invalid(errors.ToDictionary(), "The incident report cannot be accepted."));

        string incidentId = idempotencyKey is null
            ? EngagementIds.New()
            : EngagementIds.FromIdempotencyKey($"{engagementId}\nincident\n{reporter.IdempotencyScope}", idempotencyKey);
        (IncidentRecord? stored, IResult? conflict) = await RecordAsync(engagement, incidentId, facts!, reporter.Actor, cancellationToken);
        if (conflict is not null)
            return new(conflict);
        if (stored!.NoticeLate)
            stored = await OpenLateNoticeActionAsync(stored, durable, cancellationToken);
        await DurableStarts.StartOnceAsync(durable, nameof(IncidentWorkflow), new IncidentWorkflowInput(engagementId, incidentId), IncidentRecord.InstanceId(engagementId, incidentId), cancellationToken);
        return new(null, stored);
    }

    /// <summary>
    /// 6-3: a contractor that told the principal later than the contract allows gets a corrective action of its own, chased
    /// like any other; its id is kept on the incident.
    /// </summary>
    private async Task<IncidentRecord> OpenLateNoticeActionAsync(IncidentRecord incident, DurableTaskClient durable, CancellationToken cancellationToken)
    {
        IncidentFacts facts = incident.ReadFacts();
        string hours = (incident.PrincipalLearnedAt - facts.ReporterLearnedAt).TotalHours.ToString("0", CultureInfo.InvariantCulture);
        string actionId = await findings.RaiseAsync(
            new RaisedFinding(
                incident.EngagementId,
                $"incident.{incident.IncidentId}.late-notice",
                $"6-3: notice of incident {incident.IncidentId}",
                $"6-3: the principal was told of incident {incident.IncidentId} {hours} hours after it was learned of; the contract allows {incident.NotifyWithinHours}. Report how incidents will be notified within the contract's time.",
                "incident-review"),
            durable,
            cancellationToken);
        return await incidents.UpdateAsync(incident.EngagementId, incident.IncidentId, row =>
        {
            if (row.LateNoticeActionId is not null)
                return false;
            row.LateNoticeActionId = actionId;
            return true;
        }, cancellationToken) ?? incident;
    }

    /// <summary>
    /// Records an incident of checked facts under <paramref name="incidentId"/> with its trail entry, once: the same facts
    /// again find it recorded; different facts under the same id are a conflict. Starts nothing: the caller starts its workflow.
    /// </summary>
    public async Task<(IncidentRecord? Incident, IResult? Conflict)> RecordAsync(EngagementRecord engagement, string incidentId, IncidentFacts facts, string actor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(engagement);
        ArgumentNullException.ThrowIfNull(facts);
        string engagementId = engagement.EngagementId;
        DateTimeOffset now = time.GetUtcNow();
        string hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(facts, ApiJson.Options))));
        int noticeHours = engagement.Terms()?.IncidentReporting?.NotifyWithinHours ?? HandoverTermsRules.MaxIncidentNotifyHours;
        ReportabilityRules rules = Options.Rules;
        ReportabilityJudgement judgement = Reportability.Judge(facts, rules);
        var record = new IncidentRecord
        {
            PartitionKey = engagementId,
            RowKey = IncidentRecord.Key(incidentId),
            Facts = JsonSerializer.Serialize(facts, ApiJson.Options),
            PrincipalLearnedAt = now,
            ReportedBy = actor,
            ReportHash = hash,
            NoticeLate = IncidentRules.NoticeWasLate(facts.ReporterLearnedAt, now, noticeHours),
            NotifyWithinHours = noticeHours,
            Judgement = JsonSerializer.Serialize(judgement, ApiJson.Options),
        };
        record.Write(Reportability.Deadlines(facts, judgement.Reportable, now, rules).Select(due => new ReportState(due.Kind, due.DueOn, due.DueAt, null, null, null)));
        record.Write(ResponseChecklist.Opened());

        // The engagement goes on the list of those with incidents first, so the list of every incident never misses this one.
        await incidents.RegisterAsync(engagementId, cancellationToken);
        // One write: the incident's row and its trail entry. Refused, it was recorded before (by a repeat, or a crash's retry).
        IncidentFacts kept = record.ReadFacts();
        var reported = new TrailEntry(
            record.ReportedBy,
            AuditActions.IncidentReported,
            new Dictionary<string, string>
            {
                ["incidentId"] = incidentId,
                ["kind"] = JsonNamingPolicy.CamelCase.ConvertName(kept.Kind.ToString()),
                ["tier"] = kept.Tier,
                ["carrier"] = kept.Carrier ?? string.Empty,
                ["peopleAffected"] = kept.PeopleAffected.ToString(CultureInfo.InvariantCulture),
                ["dataItems"] = string.Join(", ", kept.DataItems),
                ["learnedAt"] = kept.ReporterLearnedAt.ToString("O", CultureInfo.InvariantCulture),
                ["principalLearnedAt"] = record.PrincipalLearnedAt.ToString("O", CultureInfo.InvariantCulture),
                ["noticeLate"] = record.NoticeLate ? "true" : "false",
                ["reportable"] = judgement.Reportable ? "true" : "false",
                ["rulesVersion"] = judgement.RulesVersion,
            },
            $"incident.{incidentId}.reported");
        bool created = await outbox.CommitAsync(record, reported, cancellationToken, adding: true);
        IncidentRecord stored = created
            ? record
            : await incidents.GetAsync(engagementId, incidentId, cancellationToken)
                ?? throw new InvalidOperationException($"Incident {incidentId} was refused as existing but cannot be read.");
        if (!created && stored.ReportHash != hash)
        {
            return (null, Problems.Conflict(
                "The idempotency key was already used for a different report.",
                $"The incident {incidentId} was reported with this {StaffInput.IdempotencyKeyHeader}; use a new key for a new incident."));
        }

        if (created)
        {
            logger.LogWarning("Engagement {EngagementId}: incident {IncidentId} reported, reportable {Reportable}, notice late {NoticeLate}",
                engagementId, incidentId, stored.ReadJudgement().Reportable, stored.NoticeLate);
        }

        return (stored, null);
    }
}
