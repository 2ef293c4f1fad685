using Microsoft.AspNetCore.Http;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Supervision.Audit;
using Supervision.Domain.Audit;
using Supervision.Domain.Engagements;
using Supervision.Domain.Incidents;
using Supervision.Domain.Staff;
using Supervision.Durable;
using Supervision.Evidence;
using Supervision.Http;
using Supervision.Kernel;
using Supervision.Security;
using Supervision.Vendors;

namespace Supervision.Incidents;

/// <summary>Input of <see cref="PreventionCheckWorkflow"/>; the instance id is <see cref="InstanceId"/>.</summary>
public sealed record PreventionCheckInput(string EngagementId, string CheckId)
{
    public static string InstanceId(string engagementId, string checkId) => $"{engagementId}-prevention-{checkId}";
}

public sealed record PreventionCheckAnswer(string EngagementId, string CheckId, string RequestId, string LinkId);

/// <summary>
/// A prevention check (7-4): the contractor is asked through its link, and chased like every request; an answer that is
/// not clean becomes an incident at once, followed by its own workflow like any other incident.
/// </summary>
public sealed class PreventionCheckWorkflow : TaskOrchestrator<PreventionCheckInput, string>
{
    public override async Task<string> RunAsync(TaskOrchestrationContext context, PreventionCheckInput input)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(input);
        string requestId = RequestIds.Derive(context.InstanceId, "check");
        OpenedRequest opened = await context.CallActivityAsync<OpenedRequest>(nameof(OpenPreventionCheck), new PreventionCheckAnswer(input.EngagementId, input.CheckId, requestId, string.Empty), ActivityRetry.Options);
        VendorRequestFulfilled answered = await RequestChase.UntilFulfilledAsync(context, opened);
        string? incidentId = await context.CallActivityAsync<string?>(
            nameof(RecordPreventionCheck), new PreventionCheckAnswer(input.EngagementId, input.CheckId, answered.RequestId, answered.LinkId), ActivityRetry.Options);
        if (incidentId is null)
            return "clean";
        await context.CallSubOrchestratorAsync<string>(
            nameof(IncidentWorkflow), new IncidentWorkflowInput(input.EngagementId, incidentId), new TaskOptions().WithInstanceId(IncidentRecord.InstanceId(input.EngagementId, incidentId)));
        return "incident";
    }
}

/// <summary>Opens the check's request to the contractor's contact and mails its link, once.</summary>
public sealed class OpenPreventionCheck(RequestMail mail) : TaskActivity<PreventionCheckAnswer, OpenedRequest>
{
    public const string RequestKind = "prevention-check";

    public override async Task<OpenedRequest> RunAsync(TaskActivityContext context, PreventionCheckAnswer input)
    {
        ArgumentNullException.ThrowIfNull(input);
        (EngagementRecord engagement, OnboardingRequest onboarding) = await mail.ReadAsync(input.EngagementId);
        return await mail.OpenAndMailAsync(
            new NewVendorRequest(
                input.EngagementId,
                RequestKind,
                "情報漏えい防止のための点検（ファイル共有ソフト・暴露ウイルス）",
                "Leak prevention check (file-sharing software, data-exposing malware)",
                PreventionCheck.Questions,
                [],
                onboarding.Contact.PreferredLanguage,
                WaitingInstanceId: PreventionCheckInput.InstanceId(input.EngagementId, input.CheckId),
                CompletionEvent: nameof(VendorRequestFulfilled),
                RequestId: input.RequestId),
            engagement);
    }
}

/// <summary>
/// Reads the answers: clean, it is recorded on the trail; not clean, an incident is recorded under an id derived from the
/// check (so a retry records it once), a suspected leak of every data item the contract hands over, of every person in
/// the engagement's datasets, until the supervisors know better. Answers the incident's id, or null when clean.
/// </summary>
public sealed class RecordPreventionCheck(EvidenceStore evidence, EngagementStore engagements, IncidentIntake intake, AuditLog audit, TimeProvider time)
    : TaskActivity<PreventionCheckAnswer, string?>
{
    public override async Task<string?> RunAsync(TaskActivityContext context, PreventionCheckAnswer input)
    {
        ArgumentNullException.ThrowIfNull(input);
        RequestSubmission submission = await RequestSubmission.ReadAsync(evidence, input.EngagementId, input.RequestId, CancellationToken.None);
        IReadOnlyList<string> findings = PreventionCheck.Findings(submission.Answers);
        string actor = AuditActors.VendorLink(input.LinkId);
        await audit.AppendAsync(
            input.EngagementId,
            actor,
            AuditActions.PreventionCheckAnswered,
            new Dictionary<string, string> { ["checkId"] = input.CheckId, ["requestId"] = input.RequestId, ["findings"] = string.Join(", ", findings) },
            CancellationToken.None,
            entryKey: $"prevention.{input.CheckId}.answered");
        if (findings.Count == 0)
            return null;

        EngagementRecord engagement = await engagements.GetAsync(input.EngagementId, CancellationToken.None)
            ?? throw new InvalidOperationException($"Engagement {input.EngagementId} does not exist.");
        OnboardingRequest onboarding = engagement.Onboarding();
        DateTimeOffset now = time.GetUtcNow();
        var facts = new IncidentFacts(
            IncidentKind.Leak,
            $"7-4 prevention check not clean: {string.Join(", ", findings)}. {submission.Answer(PreventionCheck.Details)}".Trim(),
            now,
            now,
            engagement.Terms()?.DataItems ?? [],
            (int)Math.Clamp(onboarding.TotalRecords, 1, IncidentRules.MaxPeopleAffected),
            Tiers.Contractor,
            null,
            onboarding.HandlesSensitiveData,
            FinancialDamagePossible: false,
            WrongfulPurposePossible: false,
            StronglyEncrypted: false,
            SecrecyOfCommunications: false);
        string incidentId = RequestIds.Derive(PreventionCheckInput.InstanceId(input.EngagementId, input.CheckId), "incident");
        (IncidentRecord? incident, _) = await intake.RecordAsync(engagement, incidentId, facts, actor, CancellationToken.None);
        return incident?.IncidentId ?? incidentId;
    }
}

/// <summary><c>POST …/prevention-checks</c>: a supervisor asks the contractor for a prevention check (7-4), once per call.</summary>
public sealed class PreventionCheckEndpoints(AuditLog audit, StaffCalls calls)
{
    public const string Route = "api/engagements/{engagementId}/prevention-checks";

    private static readonly StaffRule Requesting = StaffRule.ToChange(StaffRole.Supervisor) with { TakesIdempotencyKey = true };

    public async Task<IResult> RequestAsync(HttpRequest request, string engagementId, DurableTaskClient durable, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(durable);
        StaffCall call = await calls.AdmitAsync(request, Requesting, engagementId, cancellationToken);
        if (call.Refused is not null)
            return call.Refused;
        if (!call.Engagement!.Gate().IsOpen)
            return Problems.Conflict("The contract is not complete.", "A prevention check is asked of a contractor at work under a complete contract.");

        string checkId = call.IdFor("prevention");
        await audit.AppendAsync(
            engagementId, AuditActors.Staff(call.Caller), AuditActions.PreventionCheckRequested, new Dictionary<string, string> { ["checkId"] = checkId }, cancellationToken, entryKey: $"prevention.{checkId}.requested");
        await DurableStarts.StartOnceAsync(durable, nameof(PreventionCheckWorkflow), new PreventionCheckInput(engagementId, checkId), PreventionCheckInput.InstanceId(engagementId, checkId), cancellationToken);
        return TypedResults.Accepted((string?)null, new { checkId });
    }
}
