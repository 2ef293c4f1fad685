using System.Globalization;
using Azure.Data.Tables;
using Microsoft.DurableTask;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Supervision.Audit;
using Supervision.Domain.Audit;
using Supervision.Domain.Engagements;
using Supervision.Domain.Reports;
using Supervision.Domain.Vendors;
using Supervision.Durable;
using Supervision.Kernel;
using Supervision.Vendors;

namespace Supervision.Reports;

/// <summary>Input of <see cref="ReportPeriodWorkflow"/>: one period of one engagement.</summary>
public sealed record ReportPeriodInput(string EngagementId, int Number);

/// <summary>One request of a period: the workflow derives its id, so a retried activity or re-run episode opens and mails it once.</summary>
public sealed record ReportRequestInput(string EngagementId, int Number, int Attempt, string RequestId, string WaitingInstanceId);

public sealed record ReportSubmission(string EngagementId, int Number, int Attempt, string RequestId, DateTime At);

/// <summary>Raised by a supervisor's review of a submitted report; <see cref="Attempt"/> is the request it reviews.</summary>
public sealed record ReportReviewed(int Attempt, bool Accepted, string Reason, string ReviewedBy);

/// <summary>
/// One period's report (1-6), instance <c>{engagementId}-report-{n}</c>: asks the contractor for the report with a signed
/// link, reminds and escalates until it is submitted, then waits for a supervisor. A send-back asks again for the same
/// period with a new request, chased the same way; an acceptance ends the period.
/// </summary>
public sealed class ReportPeriodWorkflow : TaskOrchestrator<ReportPeriodInput, string>
{
    public static string InstanceId(string engagementId, int number) => $"{engagementId}-report-{number.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>The id of the period's <paramref name="attempt"/>-th request (see <see cref="RequestIds"/>).</summary>
    public static string RequestId(string instanceId, int attempt) =>
        RequestIds.Derive(instanceId, $"request.{attempt.ToString(CultureInfo.InvariantCulture)}");

    public override async Task<string> RunAsync(TaskOrchestrationContext context, ReportPeriodInput input)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(input);
        ILogger logger = context.CreateReplaySafeLogger<ReportPeriodWorkflow>();
        for (int attempt = 1; ; attempt++)
        {
            string requestId = RequestId(context.InstanceId, attempt);
            OpenedRequest opened = await context.CallActivityAsync<OpenedRequest>(
                nameof(OpenReportRequest),
                new ReportRequestInput(input.EngagementId, input.Number, attempt, requestId, context.InstanceId), ActivityRetry.Options);
            context.SetCustomStatus($"requested:{attempt}");

            await RequestChase.UntilFulfilledAsync(context, opened);
            await context.CallActivityAsync<bool>(
                nameof(RecordReportSubmission),
                new ReportSubmission(input.EngagementId, input.Number, attempt, requestId, context.CurrentUtcDateTime), ActivityRetry.Options);
            context.SetCustomStatus($"submitted:{attempt}");

            ReportReviewed review;
            do
            {
                // A review of an earlier request of this period cannot decide this one.
                review = await context.WaitForExternalEvent<ReportReviewed>(nameof(ReportReviewed));
            }
            while (review.Attempt != attempt);

            if (review.Accepted)
            {
                logger.LogInformation("Report {Number} of engagement {EngagementId} accepted by {ReviewedBy}", input.Number, input.EngagementId, review.ReviewedBy);
                return "accepted";
            }

            logger.LogInformation("Report {Number} of engagement {EngagementId} sent back by {ReviewedBy}", input.Number, input.EngagementId, review.ReviewedBy);
        }
    }
}

/// <summary>
/// Opens the period's request (what the contract says reports cover, 2-4) and mails its link, records it on the report row
/// and in the trail. Every step is keyed by the request id or the attempt, so a retry repeats none of them.
/// </summary>
public sealed class OpenReportRequest(EngagementStore store, ReportStore reports, RequestMail mail, IOptions<ReportOptions> options, TimeProvider time)
    : TaskActivity<ReportRequestInput, OpenedRequest>
{
    public const string RequestKind = "periodic-report";

    public static IReadOnlyList<Question> Questions { get; } =
    [
        new("handling-status", "期間中の個人情報の取扱状況（取扱件数、作業内容、管理簿との照合結果）をご記入ください。", "How was the personal data handled in the period (volumes, work done, reconciliation with the ledger)?", QuestionKind.Text),
        new("leak-countermeasures", "漏えい・盗用防止策の実施状況と、事故・違反の有無をご記入ください。", "How were the leak and misuse countermeasures carried out, and were there any incidents or breaches?", QuestionKind.Text),
        new("staff-changed", "期間中に従事者の変更はありましたか。", "Did the staff working with the data change in the period?", QuestionKind.YesNo),
        new("staff-changes", "従事者の変更の内容（追加・離任、守秘義務誓約書の取得）をご記入ください。", "What changed (joined, left, confidentiality pledges obtained)?", QuestionKind.Text, Required: false),
        new("subcontractors", "期間中に利用した再委託先（名称と業務）をご記入ください。ない場合は「なし」。", "Which subcontractors were used in the period (name and work)? Write \"none\" if none.", QuestionKind.Text),
    ];

    public override async Task<OpenedRequest> RunAsync(TaskActivityContext context, ReportRequestInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        EngagementRecord record = await store.GetAsync(input.EngagementId, CancellationToken.None)
            ?? throw new InvalidOperationException($"Engagement {input.EngagementId} does not exist.");
        ReportPlan plan = ReportCalendar.Of(record, options.Value).Plan(input.EngagementId, input.Number);
        ReportPeriod period = plan.Period ?? throw new InvalidOperationException($"Engagement {input.EngagementId} has no report period {input.Number}.");
        OnboardingRequest onboarding = record.Onboarding();
        string dates = $"{period.Start:yyyy-MM-dd}〜{period.End:yyyy-MM-dd}";
        DateTimeOffset now = time.GetUtcNow();
        ReportRecord NewRow(DateTimeOffset dueAt) => new()
        {
            PartitionKey = input.EngagementId,
            RowKey = ReportRecord.Key(input.Number),
            Number = input.Number,
            PeriodStart = Day(period.Start),
            PeriodEnd = Day(period.End),
            DueOn = Day(period.DueOn),
            DueAt = dueAt,
            Status = nameof(ReportStatus.Requested),
            Attempt = input.Attempt,
            RequestId = input.RequestId,
            RequestIds = input.RequestId,
            RequestedAt = now,
        };
        TrailEntry Requested(DateTimeOffset dueAt) => new(
            AuditActors.System,
            AuditActions.ReportRequested,
            new Dictionary<string, string>
            {
                ["period"] = input.Number.ToString(CultureInfo.InvariantCulture),
                ["attempt"] = input.Attempt.ToString(CultureInfo.InvariantCulture),
                ["periodStart"] = Day(period.Start),
                ["periodEnd"] = Day(period.End),
                ["requestId"] = input.RequestId,
                ["dueDate"] = RequestMail.DueDate(dueAt).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            },
            $"report.{input.Number}.{input.Attempt}.requested");

        // The period's first request adds its report row in the request's own transaction; a send-back's request changes
        // the row after it (and so does a retry that finds the request opened, its row with it).
        (OpenedRequest opened, bool rowWritten) = await mail.OpenAndMailAsync(
            new NewVendorRequest(
                input.EngagementId,
                RequestKind,
                $"定期報告 第{input.Number}期（{dates}）",
                $"Periodic report {input.Number} ({period.Start:yyyy-MM-dd} to {period.End:yyyy-MM-dd})",
                Questions,
                ["定期報告書（期間中の取扱状況の報告書ファイル） / The period's report as a file"],
                onboarding.Contact.PreferredLanguage,
                plan.DueAt,
                WaitingInstanceId: input.WaitingInstanceId,
                CompletionEvent: nameof(VendorRequestFulfilled),
                RequestId: input.RequestId),
            record,
            input.Attempt == 1 ? dueAt => new Writes([new TableTransactionAction(TableTransactionActionType.Add, NewRow(dueAt))], [Requested(dueAt)]) : null);
        if (rowWritten)
            return opened;

        DateTimeOffset due = opened.DueAt;
        await reports.AddOrUpdateAsync(
            input.EngagementId,
            input.Number,
            () => NewRow(due),
            row =>
            {
                if (row.Attempt >= input.Attempt)
                    return false;
                row.Attempt = input.Attempt;
                row.Status = nameof(ReportStatus.Requested);
                row.RequestId = input.RequestId;
                row.RequestIds = string.IsNullOrEmpty(row.RequestIds) ? input.RequestId : $"{row.RequestIds},{input.RequestId}";
                row.RequestedAt = now;
                row.DueAt = due;
                row.SubmittedAt = null;
                return true;
            },
            Requested(due),
            CancellationToken.None);
        return opened;
    }

    private static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}

/// <summary>Records that the contractor submitted the period's report, with its trail entry; idempotent by attempt.</summary>
public sealed class RecordReportSubmission(ReportStore reports) : TaskActivity<ReportSubmission, bool>
{
    public override async Task<bool> RunAsync(TaskActivityContext context, ReportSubmission input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var at = new DateTimeOffset(input.At, TimeSpan.Zero);
        await reports.UpdateAsync(
            input.EngagementId,
            input.Number,
            row =>
            {
                if (row.Attempt != input.Attempt || row.Status != nameof(ReportStatus.Requested))
                    return false;
                row.Status = nameof(ReportStatus.Submitted);
                row.SubmittedAt = at;
                return true;
            },
            new TrailEntry(
                AuditActors.System,
                AuditActions.ReportSubmitted,
                new Dictionary<string, string>
                {
                    ["period"] = input.Number.ToString(CultureInfo.InvariantCulture),
                    ["attempt"] = input.Attempt.ToString(CultureInfo.InvariantCulture),
                    ["requestId"] = input.RequestId,
                },
                $"report.{input.Number}.{input.Attempt}.submitted"),
            CancellationToken.None);
        return true;
    }
}
