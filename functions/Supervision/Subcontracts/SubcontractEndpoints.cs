using Microsoft.AspNetCore.Http;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;
using Supervision.Audit;
using Supervision.Domain.Audit;
using Supervision.Domain.Common;
using Supervision.Domain.Contracts;
using Supervision.Domain.Staff;
using Supervision.Domain.Subcontracts;
using Supervision.Http;
using Supervision.Kernel;
using Supervision.Security;
using Supervision.Vendors;

namespace Supervision.Subcontracts;

public sealed record TierDecisionBody(bool? Approved, string? Reason);

public sealed record TierAcknowledgementBody(string? Note);

public sealed record TierSuspensionBody(bool? Revoke, string? Reason);

public sealed record TierLinkBody(string? Tier);

/// <summary>
/// Sub-contract approval down the chain (3-1, 3-2, 7-2) for staff: requests on the contractor's behalf, a supervisor's
/// approval, acknowledgement, suspension and revocation, and the links tiers request through (the chain is read through
/// <see cref="ChainEndpoints"/>).
/// Every decision takes a written reason and is on the trail with who made it.
/// </summary>
public sealed class SubcontractEndpoints(
    TierStore tiers,
    Subcontracting subcontracting,
    SubcontractLinks links,
    VendorRequests requests,
    ITierReturns returns,
    EventOutbox outbox,
    StaffCalls calls,
    TimeProvider time,
    ILogger<SubcontractEndpoints> logger)
{
    public const string CollectionRoute = "api/engagements/{engagementId}/subcontracts";
    public const string DecisionRoute = "api/engagements/{engagementId}/subcontracts/{tierId}/decision";
    public const string AcknowledgementRoute = "api/engagements/{engagementId}/subcontracts/{tierId}/acknowledgement";
    public const string SuspensionRoute = "api/engagements/{engagementId}/subcontracts/{tierId}/suspension";
    public const string LinksRoute = "api/engagements/{engagementId}/subcontract-links";

    private static readonly StaffRule Requesting = StaffRule.ToChange(StaffRole.Procurement, StaffRole.Supervisor) with { TakesIdempotencyKey = true, LoadsEngagement = false };
    private static readonly StaffRule IssuingLinks = StaffRule.ToChange(StaffRole.Procurement, StaffRole.Supervisor) with { LoadsEngagement = false };
    private static readonly StaffRule Deciding = StaffRule.ToChange(StaffRole.Supervisor) with { Subject = "The tier", LoadsEngagement = false };

    /// <summary>
    /// <c>POST …/subcontracts</c>: staff request a subcontractor on the contractor's behalf (or a tier's, with
    /// <c>parentTier</c>). The same <c>Idempotency-Key</c> again answers with the same tier.
    /// </summary>
    public async Task<IResult> RequestAsync(HttpRequest request, string engagementId, DurableTaskClient durable, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        StaffCall<SubcontractDraft> call = await calls.AdmitAsync(request, Requesting.Taking<SubcontractDraft>(subcontracting.Options.MaxBodyBytes), engagementId, cancellationToken);
        if (call.Refused is not null)
            return call.Refused;

        string caller = call.Caller;
        SubcontractResult result = await subcontracting.RequestAsync(
            engagementId, call.Body!, new SubcontractRequester(AuditActors.Staff(caller), caller, BoundTier: null), call.IdempotencyKey, durable, cancellationToken);
        return result.Problem ?? TypedResults.Accepted("/" + ChainEndpoints.ChainRoute.Replace("{engagementId}", engagementId, StringComparison.Ordinal), ChainViews.View(result.Tier!, TierHoldings.None, []));
    }

    /// <summary>
    /// <c>POST …/subcontracts/{tierId}/decision</c>: a supervisor approves or rejects a tier awaiting approval, with a
    /// reason. Approval needs the subcontractor's due diligence scored first. The same decision again changes nothing.
    /// </summary>
    public async Task<IResult> DecideAsync(HttpRequest request, string engagementId, string tierId, DurableTaskClient durable, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(durable);
        StaffCall<TierDecisionBody, TierRecord> admission = await calls.AdmitAsync(request, Deciding.Taking<TierDecisionBody>(), engagementId, Tier(engagementId, tierId), cancellationToken);
        if (admission.Refused is not null)
            return admission.Refused;
        TierDecisionBody body = admission.Body!;
        var errors = new ValidationErrors();
        if (body.Approved is null)
            errors.Add("approved", "is required: true to approve, false to reject.");
        StaffInput.Reason(body.Reason, errors);
        if (!errors.IsEmpty)
            return Problems.Invalid(errors.ToDictionary());

        string decision = body.Approved!.Value ? "approved" : "rejected";
        string reason = body.Reason!.Trim();
        string caller = admission.Caller;
        if (body.Approved.Value && admission.Subject!.Score is null && admission.Subject.CurrentStatus == SubcontractStatus.AwaitingApproval)
            return Problems.Conflict("The subcontractor's due diligence is not answered yet.", "A subcontractor is approved on its due-diligence score and risk: wait for its answers.");

        TierRecord tier = await CommitAsync(
            engagementId,
            tierId,
            row =>
            {
                if (row.CurrentStatus != SubcontractStatus.AwaitingApproval || (body.Approved.Value && row.Score is null))
                    return null;
                row.Status = (body.Approved.Value ? SubcontractStatus.InForce : SubcontractStatus.Rejected).ToString();
                row.Decision = decision;
                row.DecisionReason = reason;
                row.DecidedBy = caller;
                row.DecidedAt = time.GetUtcNow();
                return new TrailEntry(
                    AuditActors.Staff(caller),
                    AuditActions.SubcontractDecided,
                    new Dictionary<string, string>
                    {
                        ["tierId"] = tierId,
                        ["decision"] = decision,
                        ["reason"] = reason,
                        ["scorePercentage"] = row.ScorePercentage?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? string.Empty,
                        ["riskTier"] = row.RiskTier ?? string.Empty,
                    },
                    $"tier.{tierId}.decided");
            },
            row => body.Approved.Value ? (nameof(TierSettled), new TierSettled(row.Status)) : (nameof(TierClosed), new TierClosed(row.Status)),
            durable,
            cancellationToken);
        if (tier.Decision != decision || tier.DecisionReason != reason || tier.DecidedBy != caller)
            return Problems.Conflict("The tier does not await this decision.", $"Tier {tierId} is {tier.Status}{(tier.Decision is null ? string.Empty : $", {tier.Decision} by {tier.DecidedBy}")}.");
        if (!body.Approved.Value)
            await requests.WithdrawAllAsync(engagementId, tierId, AuditActors.Staff(caller), cancellationToken);
        logger.LogInformation("Tier {TierId} of engagement {EngagementId}: {Decision}", tierId, engagementId, decision);
        return TypedResults.Ok(ChainViews.View(tier, TierHoldings.None, []));
    }

    /// <summary><c>POST …/subcontracts/{tierId}/acknowledgement</c>: a supervisor acknowledges a subcontract reported after the fact.</summary>
    public async Task<IResult> AcknowledgeAsync(HttpRequest request, string engagementId, string tierId, DurableTaskClient durable, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(durable);
        StaffCall<TierAcknowledgementBody, TierRecord> admission = await calls.AdmitAsync(request, Deciding.Taking<TierAcknowledgementBody>(), engagementId, Tier(engagementId, tierId), cancellationToken);
        if (admission.Refused is not null)
            return admission.Refused;
        string? note = admission.Body!.Note?.Trim();
        var errors = new ValidationErrors();
        if (!string.IsNullOrEmpty(note))
            errors.Required("note", note, StaffInput.MaxReasonLength);
        if (!errors.IsEmpty)
            return Problems.Invalid(errors.ToDictionary());
        if (admission.Subject!.GovernedBy != nameof(SubcontractPolicy.ReportAfterTheFact))
            return Problems.Conflict("Only a subcontract reported after the fact is acknowledged.", $"Tier {tierId} was requested under {admission.Subject.GovernedBy}.");

        string caller = admission.Caller;
        TierRecord tier = await CommitAsync(
            engagementId,
            tierId,
            row =>
            {
                if (row.AcknowledgedAt is not null)
                    return null;
                row.AcknowledgedBy = caller;
                row.AcknowledgedAt = time.GetUtcNow();
                row.AcknowledgementNote = string.IsNullOrEmpty(note) ? null : note;
                return new TrailEntry(
                    AuditActors.Staff(caller),
                    AuditActions.SubcontractAcknowledged,
                    new Dictionary<string, string> { ["tierId"] = tierId, ["note"] = row.AcknowledgementNote ?? string.Empty },
                    $"tier.{tierId}.acknowledged");
            },
            row => (nameof(TierSettled), new TierSettled(row.Status)),
            durable,
            cancellationToken);
        return TypedResults.Ok(ChainViews.View(tier, TierHoldings.None, []));
    }

    /// <summary>
    /// <c>POST …/subcontracts/{tierId}/suspension</c>: a supervisor suspends (or, with <c>revoke</c>, revokes) a tier with a
    /// reason: its open requests are withdrawn, so every link of the tier stops working, and no data may be handed to it.
    /// </summary>
    public async Task<IResult> SuspendAsync(HttpRequest request, string engagementId, string tierId, DurableTaskClient durable, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(durable);
        StaffCall<TierSuspensionBody, TierRecord> admission = await calls.AdmitAsync(request, Deciding.Taking<TierSuspensionBody>(), engagementId, Tier(engagementId, tierId), cancellationToken);
        if (admission.Refused is not null)
            return admission.Refused;
        var errors = new ValidationErrors();
        StaffInput.Reason(admission.Body!.Reason, errors);
        if (!errors.IsEmpty)
            return Problems.Invalid(errors.ToDictionary());

        SubcontractStatus target = admission.Body.Revoke == true ? SubcontractStatus.Revoked : SubcontractStatus.Suspended;
        string reason = admission.Body.Reason!.Trim();
        string caller = admission.Caller;
        TierRecord tier = await CommitAsync(
            engagementId,
            tierId,
            row =>
            {
                SubcontractStatus current = row.CurrentStatus;
                if (current is SubcontractStatus.Rejected or SubcontractStatus.Revoked || current == target)
                    return null;
                row.Status = target.ToString();
                row.SuspendedBy = caller;
                row.SuspendedAt = time.GetUtcNow();
                row.SuspensionReason = reason;
                return new TrailEntry(
                    AuditActors.Staff(caller),
                    AuditActions.SubcontractSuspended,
                    new Dictionary<string, string> { ["tierId"] = tierId, ["status"] = row.Status, ["reason"] = reason },
                    $"tier.{tierId}.{target.ToString().ToLowerInvariant()}");
            },
            row => (nameof(TierClosed), new TierClosed(row.Status)),
            durable,
            cancellationToken);
        if (tier.CurrentStatus != target)
            return Problems.Conflict("The tier cannot be suspended.", $"Tier {tierId} is {tier.Status}.");

        await requests.WithdrawAllAsync(engagementId, tierId, AuditActors.Staff(caller), cancellationToken);
        await returns.OpenAsync(engagementId, tierId, durable, cancellationToken);
        logger.LogWarning("Tier {TierId} of engagement {EngagementId}: {Status}; its return or erasure is asked", tierId, engagementId, tier.Status);
        return TypedResults.Ok(ChainViews.View(tier, TierHoldings.None, []));
    }

    /// <summary>
    /// <c>POST …/subcontract-links</c>: mails a tier (the contractor by default) a fresh link to its page for requesting
    /// subcontractors. The link itself is never shown to staff.
    /// </summary>
    public async Task<IResult> IssueLinkAsync(HttpRequest request, string engagementId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        StaffCall<TierLinkBody> call = await calls.AdmitAsync(request, IssuingLinks.Taking<TierLinkBody>(), engagementId, cancellationToken);
        if (call.Refused is not null)
            return call.Refused;
        string tierId = string.IsNullOrWhiteSpace(call.Body!.Tier) ? Tiers.Contractor : call.Body.Tier.Trim();
        IssuedStandingLink issued = await links.IssueAsync(engagementId, tierId, AuditActors.Staff(call.Caller), cancellationToken);
        return issued.Problem ?? TypedResults.Accepted((string?)null, issued.View);
    }

    /// <summary>
    /// One write per decision (docs/decisions/0002): the tier's row, changed by <paramref name="change"/> (null leaves it),
    /// is committed with the event its workflow is owed and the trail entry, then delivered; a row changed meanwhile is
    /// read and decided again. Whatever is still owed from an earlier attempt is delivered too. Answers the row as stored.
    /// </summary>
    private async Task<TierRecord> CommitAsync(
        string engagementId, string tierId, Func<TierRecord, TrailEntry?> change, Func<TierRecord, (string Name, object Payload)> owed, DurableTaskClient durable, CancellationToken cancellationToken)
    {
        while (true)
        {
            TierRecord tier = await tiers.GetAsync(engagementId, tierId, cancellationToken)
                ?? throw new InvalidOperationException($"Tier {tierId} does not exist.");
            if (change(tier) is not { } trail)
            {
                await DeliverOwedAsync(durable, engagementId, tierId, cancellationToken);
                return tier;
            }

            (string name, object payload) = owed(tier);
            if (await outbox.CommitAsync(tier, trail.Key, new OwedEvent(Tiers.InstanceId(engagementId, tierId), name, payload, trail), cancellationToken))
            {
                await outbox.TryDeliverAsync(durable, engagementId, trail.Key, cancellationToken);
                return tier;
            }
        }
    }

    private async Task DeliverOwedAsync(DurableTaskClient durable, string engagementId, string tierId, CancellationToken cancellationToken)
    {
        foreach (string what in (string[])["decided", "acknowledged", "suspended", "revoked"])
            await outbox.TryDeliverAsync(durable, engagementId, $"tier.{tierId}.{what}", cancellationToken);
    }

    /// <summary>The tier a route names, as the staff preamble checks and reads it.</summary>
    private StaffSubject<TierRecord> Tier(string engagementId, string tierId) =>
        new(EngagementIds.IsWellFormed(tierId), token => tiers.GetAsync(engagementId, tierId, token));
}
