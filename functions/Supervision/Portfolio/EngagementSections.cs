using System.Text.Json;
using Supervision.Closing;
using Supervision.Domain.Common;
using Supervision.Domain.Contracts;
using Supervision.Domain.Selection;
using Supervision.Http;
using Supervision.Incidents;
using Supervision.Inspections;
using Supervision.Kernel;
using Supervision.Pledges;
using Supervision.Training;

namespace Supervision.Portfolio;

/// <summary>
/// The engagement page's record of the work, each from the engagement's own rows: the contract's clauses (2-1) and term,
/// the contractor's certificates with their expiry, the checkouts (7-3), the corrective actions of inspections, the
/// staff's pledges and training asked of the contractor (4-1 … 4-3, 5-1), and the incidents with their next deadline.
/// </summary>
public sealed class EngagementSections(ClosingStore closing, InspectionStore inspections, ContractorDutyStore duties, TimeProvider time)
{
    public async Task<object> ReadAsync(EngagementRecord engagement, IReadOnlyList<IncidentRecord> incidentRows, Language language, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(engagement);
        ArgumentNullException.ThrowIfNull(incidentRows);
        string id = engagement.EngagementId;
        DateOnly today = JapanCalendar.DateAt(time.GetUtcNow());
        IReadOnlySet<ContractClause> confirmed = engagement.Clauses();
        IReadOnlyList<Certificate> certificates = engagement.Certificates is null
            ? []
            : JsonSerializer.Deserialize<List<Certificate>>(engagement.Certificates, ApiJson.Options) ?? [];
        return new
        {
            contract = engagement.ContractCompletedAt is null && confirmed.Count == 0 ? null : new
            {
                starts = engagement.ContractStartsOn,
                ends = engagement.ContractEndsOn,
                clauses = ContractClauses.All.Select(clause => new
                {
                    code = clause.ToString(),
                    title = language == Language.Ja ? clause.TitleJa() : clause.TitleEn(),
                    confirmed = confirmed.Contains(clause),
                }).ToList(),
            },
            certificates = certificates.Select(certificate => (certificate, status: CertificateRules.Status(certificate, today))).Select(pair => new
            {
                kind = pair.certificate.Kind.ToString(),
                edition = pair.certificate.Edition,
                issued = Iso(pair.certificate.IssuedOn),
                expires = Iso(pair.certificate.ExpiresOn),
                status = JsonNamingPolicy.CamelCase.ConvertName(pair.status.ToString()),
                expired = pair.status is CertificateStatus.Expired or CertificateStatus.Lapsed,
            }).ToList(),
            checkouts = (await closing.ListCheckoutsAsync(id, cancellationToken)).OrderBy(row => row.CheckedOutOn, StringComparer.Ordinal).Select(row => new
            {
                item = row.ItemDescription,
                out_on = row.CheckedOutOn,
                due = row.DueBack,
                returned = row.ReturnedOn,
                late = Deadline.IsOverdue(Date(row.DueBack), row.ReturnedOn is null ? null : Date(row.ReturnedOn), today),
            }).ToList(),
            actions = (await inspections.ListActionsAsync(id, cancellationToken)).OrderBy(row => row.DueOn, StringComparer.Ordinal).Select(row => new
            {
                description = row.Description,
                severity = row.Severity,
                due = row.DueOn,
                closed = row.ClosedOn,
                late = Deadline.IsOverdue(Date(row.DueOn), row.ClosedOn is null ? null : Date(row.ClosedOn), today),
            }).ToList(),
            duties = (await duties.ListAsync(id, PledgeRequest.KeyPrefix, cancellationToken))
                .Concat(await duties.ListAsync(id, TrainingRequests.KeyPrefix, cancellationToken))
                .OrderBy(row => row.RequestedAt)
                .Select(row => new
                {
                    kind = row.RowKey.StartsWith(TrainingRequests.PlanPrefix, StringComparison.Ordinal) ? "training-plan"
                        : row.RowKey.StartsWith(TrainingRequests.ResultPrefix, StringComparison.Ordinal) ? "training-result" : "pledge",
                    round = row.Round,
                    status = row.Status,
                    requested = JapanCalendar.Minute(row.RequestedAt),
                    due = JapanCalendar.Minute(row.DueAt),
                    next_due = row.NextDueOn,
                }).ToList(),
            incidents = incidentRows.Select(IncidentViews.View).OrderByDescending(view => view.PrincipalLearnedAt).Select(view => new
            {
                id = view.Id,
                kind = view.Facts.Kind.ToString(),
                state = view.State,
                learned = JapanCalendar.Minute(view.PrincipalLearnedAt),
                next_deadline = JapanCalendar.Minute(view.NextDeadline),
                people = view.Facts.PeopleAffected,
            }).ToList(),
        };
    }

    private static DateOnly Date(string date) => DateOnly.ParseExact(date, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

    private static string Iso(DateOnly date) => date.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
}
