using System.Globalization;
using Microsoft.DurableTask;
using Microsoft.Extensions.Options;
using Supervision.Audit;
using Supervision.Domain.Audit;
using Supervision.Domain.Common;
using Supervision.Domain.Incidents;
using Supervision.Durable;
using Supervision.Kernel;
using Supervision.Mail;
using Supervision.Vendors;

namespace Supervision.Incidents;

/// <summary>Input of <see cref="IncidentWorkflow"/>; <paramref name="Judged"/> once a supervisor's judgement set the reports owed.</summary>
public sealed record IncidentWorkflowInput(string EngagementId, string IncidentId, bool Judged = false);

/// <summary>A report still owed and when it is due, as the workflow chases it.</summary>
public sealed record OwedReport(IncidentReportKind Kind, DateTime DueAt);

/// <summary>What the workflow chases: the reports still owed, and how.</summary>
public sealed record IncidentSchedule(IReadOnlyList<OwedReport> Reports, TimeSpan ReminderLead, TimeSpan ReminderInterval, int MaxReminders);

/// <summary>Raised when a supervisor confirms or overrides the reportability: the reports owed may have changed.</summary>
public sealed record IncidentJudged(bool Reportable);

/// <summary>Raised when a report is sent, under <see cref="IncidentWorkflow.ReportSentEvent"/> of its kind.</summary>
public sealed record IncidentReportSent(IncidentReportKind Kind);

/// <summary>
/// Follows one incident against the regulator's clock (6-1): the supervisors are mailed the moment it is taken in (and
/// again by the activity's retries if the mail fails: the incident is recorded whatever happens to the notice); every
/// report owed is chased from a lead before its deadline, and escalated before it lapses. A supervisor's judgement may
/// change the reports owed: the workflow then starts over on what is owed now.
/// </summary>
public sealed class IncidentWorkflow : TaskOrchestrator<IncidentWorkflowInput, string>
{
    public static string ReportSentEvent(IncidentReportKind kind) => $"{nameof(IncidentReportSent)}.{kind}";

    public override async Task<string> RunAsync(TaskOrchestrationContext context, IncidentWorkflowInput input)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(input);
        IncidentSchedule schedule = await context.CallActivityAsync<IncidentSchedule>(nameof(NotifyIncident), input, ActivityRetry.Options);
        Task<IncidentJudged>? judged = input.Judged ? null : context.WaitForExternalEvent<IncidentJudged>(nameof(IncidentJudged));

        // One report after another, the earliest deadline first; once one is escalated the next is chased (the escalated
        // one stays owed, and on the incident). A later one sent meanwhile is found done at once.
        foreach (OwedReport report in schedule.Reports.OrderBy(report => report.DueAt))
        {
            Task sent = context.WaitForExternalEvent<IncidentReportSent>(ReportSentEvent(report.Kind));
            Task done = judged is null ? sent : Task.WhenAny(sent, judged);
            Chase chase = Chase.Start(
                new ChaseTarget(IncidentReportChase.ChaseKind, input.EngagementId, input.IncidentId, Within: report.Kind.ToString()),
                report.DueAt - schedule.ReminderLead,
                new ChasePolicy(schedule.ReminderInterval, schedule.MaxReminders));
            while (!done.IsCompleted && ChaseSchedule.Next(chase.DueAt, chase.Progress, chase.Policy).At is not null)
            {
                ChaseOutcome outcome = await Chasing.StepAsync(context, chase, done);
                chase = outcome.Chase;
                if (outcome.Over)
                    break;
            }

            if (judged is { IsCompleted: true })
                break;
        }

        if (judged is null)
            return "reports-sent";
        await judged;
        context.ContinueAsNew(input with { Judged = true });
        return "judged";
    }
}

/// <summary>
/// Tells the supervisors of the incident, once (its mail is keyed), and answers the reports still owed. Run first by
/// every generation of the workflow; after the first the mail is already settled and nothing is sent again.
/// </summary>
public sealed class NotifyIncident(IncidentStore incidents, EngagementStore engagements, RequestMail mail, AuditLog audit, IOptions<IncidentOptions> options)
    : TaskActivity<IncidentWorkflowInput, IncidentSchedule>
{
    public override async Task<IncidentSchedule> RunAsync(TaskActivityContext context, IncidentWorkflowInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        IncidentRecord incident = await incidents.GetAsync(input.EngagementId, input.IncidentId, CancellationToken.None)
            ?? throw new InvalidOperationException($"Incident {input.IncidentId} does not exist.");
        EngagementRecord engagement = await engagements.GetAsync(input.EngagementId, CancellationToken.None)
            ?? throw new InvalidOperationException($"Engagement {input.EngagementId} does not exist.");
        IncidentFacts facts = incident.ReadFacts();
        List<ReportState> reports = incident.ReadReports();
        string mailedTo = await mail.MailSupervisorsAsync(
            MailTemplates.IncidentReported,
            input.EngagementId,
            new Dictionary<string, string>(StringComparer.Ordinal)
            {
                ["contractorName"] = engagement.ContractorName,
                ["engagementId"] = input.EngagementId,
                ["incidentId"] = input.IncidentId,
                ["kind"] = facts.Kind.ToString(),
                ["description"] = facts.Description,
                ["peopleAffected"] = facts.PeopleAffected.ToString("N0", CultureInfo.InvariantCulture),
                ["tier"] = facts.Carrier ?? facts.Tier,
                ["reportable"] = incident.Reportable ? "yes" : "no",
                ["reasons"] = string.Join(", ", incident.ReadJudgement().Reasons),
                ["noticeLate"] = incident.NoticeLate ? "yes" : "no",
                ["deadlines"] = string.Join(", ", reports.Select(report => $"{report.Kind} {report.DueOn:yyyy-MM-dd}")),
            },
            $"{input.EngagementId}.incident.{input.IncidentId}.reported");
        await audit.AppendAsync(
            input.EngagementId,
            AuditActors.System,
            AuditActions.IncidentNotified,
            new Dictionary<string, string> { ["incidentId"] = input.IncidentId, ["mailedTo"] = mailedTo },
            CancellationToken.None,
            entryKey: $"incident.{input.IncidentId}.notified");

        IncidentOptions chase = options.Value;
        return new IncidentSchedule(
            [.. reports.Where(report => report.SentAt is null).Select(report => new OwedReport(report.Kind, report.DueAt.UtcDateTime))],
            chase.ReminderLead,
            chase.ReminderInterval,
            chase.MaxReminders);
    }
}

/// <summary>
/// Chases a report owed to the authority: the supervisors are reminded ahead of its deadline, then told it is about to
/// lapse (escalation); neither once it is sent or the incident is closed.
/// </summary>
public sealed class IncidentReportChase(IncidentStore incidents, RequestMail mail, AuditLog audit) : IChaseSubject
{
    public const string ChaseKind = "incident-report";

    public string Kind => ChaseKind;

    public Task<bool> RemindAsync(ChaseNotice notice, CancellationToken cancellationToken) =>
        TellAsync(notice, AuditActions.IncidentReportReminded, $"reminded.{notice.Number.ToString(CultureInfo.InvariantCulture)}", "督促", cancellationToken);

    public Task<bool> EscalateAsync(ChaseNotice notice, CancellationToken cancellationToken) =>
        TellAsync(notice, AuditActions.IncidentReportEscalated, "escalated", "期限切迫", cancellationToken);

    private async Task<bool> TellAsync(ChaseNotice notice, string action, string what, string stage, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(notice);
        (string engagementId, string incidentId, string kind) = (notice.Target.EngagementId, notice.Target.Id, notice.Target.Within!);
        IncidentRecord? incident = await incidents.GetAsync(engagementId, incidentId, cancellationToken);
        ReportState? owed = incident is { State: IncidentStates.Open }
            ? incident.ReadReports().FirstOrDefault(report => report.Kind.ToString() == kind && report.SentAt is null)
            : null;
        if (owed is null)
            return false;

        string dueOn = owed.DueOn.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        string mailedTo = await mail.MailSupervisorsAsync(
            MailTemplates.IncidentReportDue,
            engagementId,
            new Dictionary<string, string>(StringComparer.Ordinal)
            {
                ["engagementId"] = engagementId,
                ["incidentId"] = incidentId,
                ["report"] = kind,
                ["dueDate"] = dueOn,
                ["stage"] = stage,
            },
            $"{engagementId}.incident.{incidentId}.{kind}.{what}");
        await audit.AppendAsync(
            engagementId,
            AuditActors.System,
            action,
            new Dictionary<string, string> { ["incidentId"] = incidentId, ["report"] = kind, ["dueOn"] = dueOn, ["mailedTo"] = mailedTo },
            cancellationToken,
            entryKey: $"incident.{incidentId}.{kind}.{what}");
        return true;
    }
}
